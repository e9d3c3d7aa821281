using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Apis;

public static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/deliveries").RequireAuthorization().WithTags("Deliveries");
        api.MapGet("/", ListDeliveries).WithName("ListDeliveries").WithSummary("The clinic's deliveries and their status, by patient and/or session, a page at a time (?limit=&cursor=)")
            .AuditsPatientData("notification.deliveries");
        return api;
    }

    static async Task<Results<Ok<IReadOnlyList<Delivery>>, ValidationProblem>> ListDeliveries(
        string? patientId, string? sessionId, int? limit, string? cursor, HttpContext http, ClinicContext clinic, Deliveries deliveries, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var patient = QueryGuid.Parse(patientId, "patientId", errors);
        var session = QueryGuid.Parse(sessionId, "sessionId", errors);
        if (!PageRequest.TryCreate(limit, cursor, errors, out var page) || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (rows, next) = await deliveries.List(clinic, patient, session, page, ct);
        KeysetPages.Announce(http, next);
        return TypedResults.Ok(rows);
    }
}
