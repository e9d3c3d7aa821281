using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.BuildingBlocks.Audit;

public static class AuditApi
{
    /// <summary>The writer and reader of the service's audit log.</summary>
    public static IServiceCollection AddPatientAudit(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<PatientAudit>();
        services.AddSingleton<AuditLog>();
        return services;
    }

    /// <summary>
    /// <c>GET /api/{service}/audit?patientId=&amp;from=&amp;to=&amp;limit=&amp;cursor=</c>: the calling clinic's audit rows in this
    /// service, oldest first, keyset paged (<see cref="KeysetPages"/>); another clinic's rows are never shown. The read
    /// leaves audit rows of its own (<see cref="AuditLog"/>). Of the staff, only an admin reads it; partner systems act for the clinic and do.
    /// </summary>
    public static RouteHandlerBuilder MapAuditApi(this IEndpointRouteBuilder app, string service) =>
        app.MapGet($"/api/{service}/audit", Read).RequireAuthorization().RequireStaffRole(StaffRoles.Admin).WithTags("Audit").AuditsPatientData(AuditLog.Resource)
            .WithName($"Get{char.ToUpperInvariant(service[0])}{service[1..]}AuditLog")
            .WithSummary("Who read or changed which patient's data, when, and the trace id; paged (limit, cursor)");

    static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem>> Read(Guid? patientId, DateTimeOffset? from, DateTimeOffset? to,
        int? limit, string? cursor, ClinicContext clinic, AuditLog log, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors().RequireRange(from, to);
        if (!PageRequest.TryCreate(limit, cursor, errors, out var page) || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (entries, next) = await log.Page(clinic.ClinicId, new AuditQuery(patientId, from, to), page, ct);
        KeysetPages.Announce(http, next);
        return TypedResults.Ok(entries);
    }
}
