using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

/// <summary>A one-on-one booking; kind defaults to individualTherapy (makeup and familySession are also one-on-one).</summary>
public sealed record BookSessionRequest(
    Guid? ClinicianId,
    Guid? PatientId,
    SessionKind? Kind,
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? StartsAt,
    int? DurationMinutes,
    string? TimeZone);

public sealed record BookingDto(Guid Id, Guid SessionId, Guid ClinicianId, Guid PatientId, SessionKind Kind,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone)
{
    public static BookingDto From(Booking b) => new(b.Id, b.SessionId, b.ClinicianId, b.PatientId, b.Kind, b.StartsAt, b.EndsAt, b.TimeZone);
}

public static class BookingsApi
{
    public static RouteGroupBuilder MapBookingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/bookings").RequireAuthorization().WithTags("Bookings");
        api.MapPost("/", BookSession).WithName("BookSession")
            .WithSummary("Books a one-on-one session; the database refuses to double-book the clinician or the patient (409)");
        return api;
    }

    static async Task<Results<Created<BookingDto>, ValidationProblem, ProblemHttpResult>> BookSession(
        BookSessionRequest request, ClinicContext clinic, Bookings bookings, IOptions<SchedulingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var kind = request.Kind ?? SessionKind.IndividualTherapy;
        var extra = new List<FieldError>();
        if (request.ClinicianId is null || request.ClinicianId == Guid.Empty) extra.Add(new("clinicianId", "The clinician id is required."));
        if (kind == SessionKind.GroupTherapy) extra.Add(new("kind", "Group sessions are scheduled through a cohort's series."));
        if (request.PatientId is null || request.PatientId == Guid.Empty) extra.Add(new("patientId", "The patient id is required."));
        var proposal = new SessionProposal(kind, request.StartsAt, request.DurationMinutes, request.TimeZone,
            request.PatientId is { } patient && patient != Guid.Empty ? [patient] : [Guid.NewGuid()]);
        NewSession.TryCreate(proposal, clock.GetUtcNow(), out var session, out var errors, options.Value.MinimumSessionMinutes);
        if (extra.Count > 0 || session is null) return TypedResults.ValidationProblem(extra.Concat(errors).ToProblemErrors());

        var (booking, conflict) = await bookings.Book(clinic.ClinicId, request.ClinicianId!.Value, session, ct);
        return booking is not null
            ? TypedResults.Created($"/api/scheduling/sessions/{booking.SessionId}", BookingDto.From(booking))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Slot taken",
                detail: conflict == BookingConflict.ClinicianBusy
                    ? "The clinician already has a booking that overlaps this time."
                    : "The patient already has a booking that overlaps this time.",
                extensions: new Dictionary<string, object?> { ["conflict"] = conflict == BookingConflict.ClinicianBusy ? "clinicianBusy" : "patientBusy" });
    }
}
