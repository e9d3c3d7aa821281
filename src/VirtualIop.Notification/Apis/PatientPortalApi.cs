using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Apis;

public sealed record SavePatientPortalRequest(string? Url);

/// <summary>Where the clinic's messages link: its own patient app (ClinicOwn) or the default portal.</summary>
public sealed record PatientPortalSetting(string Url, bool ClinicOwn);

/// <summary>
/// A clinic that runs its own patient app points its messages' personal links there: <c>{url}/p/{token}?next=…</c>,
/// which the app redeems as the default portal does. A clinic setting, with no patient's data in it.
/// </summary>
public static class PatientPortalApi
{
    public static RouteGroupBuilder MapPatientPortalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/settings/patient-portal").RequireAuthorization().WithTags("Patient portal");
        api.MapPut("/", SavePortal).WithName("SavePatientPortal").WithSummary("Sets the clinic's own patient app as where its messages link")
            .RequireStaffRole(StaffRoles.Admin);
        api.MapGet("/", GetPortal).WithName("GetPatientPortal").WithSummary("Where the clinic's messages link: its own patient app or the default portal");
        api.MapDelete("/", RemovePortal).WithName("RemovePatientPortal").WithSummary("Goes back to the default patient portal")
            .RequireStaffRole(StaffRoles.Admin);
        return api;
    }

    static async Task<Results<Ok<PatientPortalSetting>, ValidationProblem>> SavePortal(
        SavePatientPortalRequest request, ClinicContext clinic, PatientPortals portals, IHostEnvironment environment, CancellationToken ct)
    {
        var url = request.Url?.Trim();
        var problems = new List<string>();
        if (PatientLinks.PortalUrlProblem(url) is { } problem) problems.Add(problem);
        else if (!environment.IsDevelopment()) problems.AddRange(OutgoingUrls.Link("url", url));
        if (problems.Count > 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [.. problems] });
        // Stored without a trailing slash: the link appends /p/{token} to it.
        var portal = url!.TrimEnd('/');
        await portals.Save(clinic, portal, ct);
        return TypedResults.Ok(new PatientPortalSetting(portal, true));
    }

    static async Task<Ok<PatientPortalSetting>> GetPortal(
        ClinicContext clinic, PatientPortals portals, IOptions<NotificationOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await portals.Find(clinic.ClinicId, ct) is { } own
            ? new PatientPortalSetting(own, true)
            : new PatientPortalSetting(options.Value.PatientPortalUrl, false));

    static async Task<Results<NoContent, NotFound>> RemovePortal(ClinicContext clinic, PatientPortals portals, CancellationToken ct) =>
        await portals.Remove(clinic, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
