using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Web.Patient;
using VirtualIop.Web.Resources;

namespace VirtualIop.Web.Components.Patient;

/// <summary>
/// What every patient page shares: the signed-in patient, the gateway calls made with their token, the problem the
/// last call reported, and the step to the kind expiry page when the token no longer works.
/// </summary>
public abstract class PatientPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    protected PatientGateway Api { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<PatientText> L { get; set; } = default!;

    protected ApiProblem Problem { get; set; } = ApiProblem.None;

    protected Guid PatientId => HttpContext is { } http ? Caller.PatientId(http.User) ?? Guid.Empty : Guid.Empty;

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    protected static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>True when the call succeeded; otherwise keeps its problem for the page, or leaves for the expiry page.</summary>
    protected bool Accept<T>(ApiResult<T> result)
    {
        if (result.IsOk) return true;
        if (result.Outcome == ApiOutcome.Expired)
        {
            Navigation.NavigateTo(PatientAuth.ExpiredPath);
            return false;
        }
        Problem = result.Problem ?? ApiProblem.None;
        if (!Problem.Errors.Any() && Problem.Title is null && Problem.Detail is null)
        {
            Problem = Problem with { Detail = L[result.Outcome == ApiOutcome.NotFound ? "ProblemNotFound" : "ProblemGeneric"] };
        }
        return false;
    }

    /// <summary>A problem the page finds itself before calling, worded in the patient's language.</summary>
    protected void Invalid(string field, string message) =>
        Problem = new ApiProblem(null, null, new Dictionary<string, string[]>(Problem.Errors) { [field] = [message] });

    /// <summary>The patient's time zone from their contact preferences, else the first of the given ones that is known.</summary>
    protected async Task<TimeZoneInfo> PatientZone(params string?[] fallbacks)
    {
        var contact = await Api.Get<PatientContact>(PatientApiRoutes.Contact(PatientId), Aborted);
        return LocalTimes.Zone([contact.Value?.TimeZone, .. fallbacks]);
    }

    protected async Task<IReadOnlyList<PatientSession>> UpcomingSessions()
    {
        var sessions = await Api.Get<List<PatientSession>>(PatientApiRoutes.Sessions(PatientId), Aborted);
        return Accept(sessions) ? sessions.Value ?? [] : [];
    }

    protected string KindName(string kind) => L[$"Kind_{kind}"].ResourceNotFound ? kind : L[$"Kind_{kind}"];
}
