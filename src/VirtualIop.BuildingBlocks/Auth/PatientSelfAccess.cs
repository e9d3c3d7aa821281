using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// Endpoint metadata: a patient-scoped token may call this endpoint for its own patient. Without it the default policy
/// refuses every patient token (403), so each endpoint a patient reaches is chosen deliberately.
/// </summary>
/// <param name="PatientRouteValue">
/// The route value naming the patient (<c>patientId</c>): a patient token naming another patient gets the same 404 as
/// another clinic's patient. Null when the route names something the patient owns (a makeup, a package, a notice): the
/// handler then scopes its query by <see cref="Caller.PatientId"/>.
/// </param>
public sealed record PatientSelfAccess(string? PatientRouteValue);

public static class PatientSelfAccessExtensions
{
    /// <summary>Lets the patient whose id is the route value <paramref name="patientRouteValue"/> call the endpoint.</summary>
    public static TBuilder AllowPatientSelf<TBuilder>(this TBuilder builder, string patientRouteValue = "patientId")
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new PatientSelfAccess(patientRouteValue));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (Caller.PatientId(http.User) is { } own
                && !(Guid.TryParse(http.Request.RouteValues[patientRouteValue] as string, out var named) && named == own))
            {
                return UnknownResource.Problem("patient");
            }
            return await next(context);
        });
        return builder;
    }

    /// <summary>
    /// Lets a patient call the endpoint for things they own; the handler must scope by <see cref="Caller.PatientId"/>
    /// and answer 404 for anything of another patient.
    /// </summary>
    public static TBuilder AllowPatientSelfScopedByHandler<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PatientSelfAccess(null));

    /// <summary>True when the endpoint being authorised lets patients in.</summary>
    public static bool AllowsPatientSelf(object? resource) =>
        resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<PatientSelfAccess>() is not null;
}
