using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
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

public sealed record WorkingHoursDto(DayOfWeek? Day, string? From, string? To);

public sealed record TimeOffDto(
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? From,
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? To);

public sealed record AvailabilityRequest(string? TimeZone, IReadOnlyList<WorkingHoursDto?>? WeeklyHours, IReadOnlyList<TimeOffDto?>? TimeOff);

public sealed record AvailabilityDto(Guid ClinicianId, string TimeZone, IReadOnlyList<WorkingHoursDto> WeeklyHours, IReadOnlyList<TimeOffDto> TimeOff)
{
    public static AvailabilityDto From(Guid clinicianId, Availability a) => new(clinicianId, a.TimeZone,
        a.WeeklyHours.Select(w => new WorkingHoursDto(w.Day, w.From.ToString("HH:mm", CultureInfo.InvariantCulture), w.To == TimeOnly.MaxValue ? "24:00" : w.To.ToString("HH:mm", CultureInfo.InvariantCulture))).ToList(),
        a.TimeOff.Select(t => new TimeOffDto(t.From, t.To)).ToList());
}

public static class BookingsApi
{
    public static RouteGroupBuilder MapBookingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scheduling/bookings").RequireAuthorization().WithTags("Bookings");
        app.MapPut("/api/scheduling/clinicians/{clinicianId:guid}/availability", ReplaceAvailability).RequireAuthorization()
            .WithTags("Clinicians").WithName("ReplaceClinicianAvailability")
            .WithSummary("Sets a clinician's weekly working hours (local time, evenings included) and time off");
        app.MapGet("/api/scheduling/clinicians/{clinicianId:guid}/availability", GetAvailability).RequireAuthorization()
            .WithTags("Clinicians").WithName("GetClinicianAvailability").WithSummary("A clinician's working hours and time off");
        api.MapPost("/", BookSession).WithName("BookSession")
            .Idempotent()
            .AuditsPatientData("scheduling.booking")
            .WithSummary("Books a one-on-one session; the database refuses to double-book the clinician or the patient (409)");
        return api;
    }

    static async Task<Results<Ok<AvailabilityDto>, ValidationProblem>> ReplaceAvailability(
        Guid clinicianId, AvailabilityRequest request, ClinicContext clinic, Availabilities availabilities, CancellationToken ct)
    {
        var proposal = new AvailabilityProposal(request.TimeZone,
            request.WeeklyHours?.Select(w => w is null ? null : new WorkingHoursProposal(w.Day, w.From, w.To)).ToList(),
            request.TimeOff?.Select(t => t is null ? null : new TimeOffProposal(t.From, t.To)).ToList());
        if (!Availability.TryCreate(proposal, out var availability, out var errors)) return TypedResults.ValidationProblem(errors.ToProblemErrors());
        await availabilities.Replace(clinic.ClinicId, clinicianId, availability, ct);
        return TypedResults.Ok(AvailabilityDto.From(clinicianId, availability));
    }

    static async Task<Results<Ok<AvailabilityDto>, NotFound>> GetAvailability(
        Guid clinicianId, ClinicContext clinic, Availabilities availabilities, CancellationToken ct) =>
        await availabilities.Find(clinic.ClinicId, clinicianId, ct) is { } availability
            ? TypedResults.Ok(AvailabilityDto.From(clinicianId, availability))
            : TypedResults.NotFound();

    static async Task<Results<Created<BookingDto>, ValidationProblem, ProblemHttpResult>> BookSession(
        BookSessionRequest request, ClinicContext clinic, Bookings bookings, IOptions<SchedulingOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var kind = request.Kind ?? SessionKind.IndividualTherapy;
        var errors = new ValidationErrors();
        if (request.ClinicianId is null || request.ClinicianId == Guid.Empty) errors.Add("clinicianId", "The clinician id is required.");
        if (kind == SessionKind.GroupTherapy) errors.Add("kind", "Group sessions are scheduled through a cohort's series.");
        if (request.PatientId is null || request.PatientId == Guid.Empty) errors.Add("patientId", "The patient id is required.");
        var proposal = new SessionProposal(kind, request.StartsAt, request.DurationMinutes, request.TimeZone,
            request.PatientId is { } patient && patient != Guid.Empty ? [patient] : []);
        NewSession.TryCreate(proposal, clock.GetUtcNow(), out var session, out var sessionErrors, options.Value.MinimumSessionMinutes);
        // The one patient is reported as patientId above; the session rules' patientIds message would repeat it.
        errors.AddAll(sessionErrors.Where(e => e.Field != "patientIds"));
        if (errors.Any || session is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (booking, conflict) = await bookings.Book(clinic.ClinicId, request.ClinicianId!.Value, session, ct);
        return booking is not null
            ? TypedResults.Created($"/api/scheduling/sessions/{booking.SessionId}", BookingDto.From(booking))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Slot not available",
                detail: conflict switch
                {
                    BookingConflict.ClinicianBusy => "The clinician already has a booking that overlaps this time.",
                    BookingConflict.PatientBusy => "The patient already has a booking that overlaps this time.",
                    _ => "The time is outside the clinician's working hours or during their time off."
                },
                extensions: new Dictionary<string, object?> { ["conflict"] = WireName.Of(conflict!.Value) });
    }
}
