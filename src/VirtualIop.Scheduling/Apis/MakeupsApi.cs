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

public static class MakeupsApi
{
    public const int MaxWatchMinutes = 24 * 60;

    public static RouteGroupBuilder MapMakeupsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/scheduling/programs/{id:guid}/makeup-settings", ReplaceSettings).RequireAuthorization().WithTags("Programs")
            .WithName("ReplaceMakeupSettings").RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator).WithSummary("Which makeups a program offers after a miss, how long offers stay open and the recording share");
        app.MapGet("/api/scheduling/programs/{id:guid}/makeup-settings", GetSettings).RequireAuthorization().WithTags("Programs")
            .WithName("GetMakeupSettings").WithSummary("A program's makeup settings (the defaults until it sets its own)");
        app.MapPut("/api/scheduling/patients/{patientId:guid}/preferred-hours", ReplacePreferredHours).RequireAuthorization().WithTags("Patients")
            .WithName("ReplacePreferredHours").WithSummary("When a patient can attend one-on-one makeups (weekly local hours, evenings included)")
            .AuditsPatientData("scheduling.preferredHours");
        app.MapGet("/api/scheduling/patients/{patientId:guid}/preferred-hours", GetPreferredHours).RequireAuthorization().WithTags("Patients")
            .WithName("GetPreferredHours").WithSummary("A patient's preferred hours")
            .AuditsPatientData("scheduling.preferredHours");
        app.MapGet("/api/scheduling/patients/{patientId:guid}/makeups", CurrentMakeups).RequireAuthorization().WithTags("Patients")
            .WithName("GetPatientMakeups").AllowPatientSelf()
            .WithSummary("The patient's makeups still open or under way (offered, waitlisted, booked, watching) with the kinds on offer, earliest expiry first")
            .AuditsPatientData("scheduling.makeups");
        app.MapPut("/api/scheduling/sessions/{id:guid}/recording", SetRecording).RequireAuthorization().WithTags("Sessions")
            .WithName("SetSessionRecording").WithSummary("Sets the recording link of an educational-module session");

        var api = app.MapGroup("/api/scheduling/makeups").RequireAuthorization().WithTags("Makeups");
        api.MapGet("/", ListMakeups).WithName("ListMakeups").WithSummary("A patient's makeups, newest first; paged (limit, cursor)")
            .AuditsPatientData("scheduling.makeups");
        api.MapGet("/{id:guid}", GetMakeup).WithName("GetMakeup").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly).WithSummary("One makeup and where it stands")
            .AuditsPatientData("scheduling.makeup");
        api.MapGet("/{id:guid}/slots", ProposeSlots).WithName("ProposeMakeupSlots").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly)
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("The next free one-on-one slots with the facilitator or another clinician of the program, in the patient's preferred hours");
        api.MapPost("/{id:guid}/book", BookOneOnOne).WithName("BookMakeup").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly)
            .Idempotent()
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("Books a one-on-one makeup in a free slot (409 when the slot was just taken)");
        api.MapGet("/{id:guid}/group-sessions", GroupOptions).WithName("ListMakeupGroupSessions").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly)
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("Other cohorts' sessions on the missed topic within the window, with free seats and waitlist length; paged (limit, cursor)");
        api.MapPost("/{id:guid}/group-seat", TakeSeat).WithName("TakeMakeupSeat").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly)
            .Idempotent()
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("Takes a seat in another cohort's session (201), or a waitlist place when it is full (202)");
        api.MapDelete("/{id:guid}/group-seat", ReleaseSeat).WithName("ReleaseMakeupSeat").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly)
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("Gives back the seat or waitlist place; the first patient waiting gets the seat");
        api.MapPost("/{id:guid}/recording", ChooseRecording).WithName("ChooseMakeupRecording").AllowPatientSelfScopedByHandler().AddEndpointFilter(OwnMakeupsOnly)
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("Assigns the missed educational module's recording");
        api.MapPost("/{id:guid}/watch-progress", ReportWatching).WithName("ReportMakeupWatchProgress")
            .AuditsPatientData("scheduling.makeup")
            .WithSummary("Reports minutes of the recording watched; the makeup completes at the program's share");
        return api;
    }

    /// <summary>
    /// A patient's token reaches a makeup only when it is their own; another patient's answers the same 404 as a makeup
    /// the clinic does not have. Staff and partner tokens act for the whole clinic.
    /// </summary>
    static async ValueTask<object?> OwnMakeupsOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Caller.PatientId(http.User) is { } patient
            && !(ClinicContext.FromPrincipal(http.User) is { } clinic
                 && Guid.TryParse(http.Request.RouteValues["id"] as string, out var id)
                 && await http.RequestServices.GetRequiredService<Makeups>().BelongsTo(clinic.ClinicId, id, patient, http.RequestAborted)))
        {
            return UnknownResource.Problem("makeup");
        }
        return await next(context);
    }

    static async Task<Ok<IReadOnlyList<MakeupDto>>> CurrentMakeups(Guid patientId, ClinicContext clinic, Makeups makeups, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<MakeupDto>>((await makeups.Current(clinic.ClinicId, patientId, ct)).Select(MakeupDto.From).ToList());

    static async Task<Results<Ok<MakeupSettingsDto>, ValidationProblem, ProblemHttpResult>> ReplaceSettings(
        Guid id, MakeupSettingsRequest request, ClinicContext clinic, MakeupSettingsStore store, CancellationToken ct)
    {
        var proposal = new MakeupSettingsProposal(request.AllowedKinds, request.ExpiryDays, request.SearchWindowDays, request.OneOnOneMinutes,
            request.RecordingCompletionShare);
        if (!MakeupSettings.TryCreate(proposal, out var settings, out var errors)) return TypedResults.ValidationProblem(errors.ToProblemErrors());
        return await store.Replace(clinic.ClinicId, id, settings, ct)
            ? TypedResults.Ok(MakeupSettingsDto.From(id, settings))
            : UnknownResource.Problem("program");
    }

    static async Task<Results<Ok<MakeupSettingsDto>, ProblemHttpResult>> GetSettings(Guid id, ClinicContext clinic, MakeupSettingsStore store, CancellationToken ct) =>
        await store.Find(clinic.ClinicId, id, ct) is { } settings ? TypedResults.Ok(MakeupSettingsDto.From(id, settings)) : UnknownResource.Problem("program");

    static async Task<Results<Ok<PreferredHoursDto>, ValidationProblem>> ReplacePreferredHours(
        Guid patientId, PreferredHoursRequest request, ClinicContext clinic, PatientPreferences preferences, CancellationToken ct)
    {
        var proposal = new AvailabilityProposal(request.TimeZone,
            request.WeeklyHours?.Select(w => w is null ? null : new WorkingHoursProposal(w.Day, w.From, w.To)).ToList(), null);
        Availability.TryCreate(proposal, out var hours, out var ruleErrors);
        var errors = new ValidationErrors().AddAll(ruleErrors);
        if (request.WeeklyHours is not { Count: > 0 }) errors.Add("weeklyHours", "Give at least one weekday with hours.");
        if (errors.Any || hours is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        await preferences.Replace(clinic.ClinicId, patientId, hours, ct);
        return TypedResults.Ok(PreferredHoursDto.From(patientId, hours));
    }

    static async Task<Results<Ok<PreferredHoursDto>, NotFound>> GetPreferredHours(
        Guid patientId, ClinicContext clinic, PatientPreferences preferences, CancellationToken ct) =>
        await preferences.Find(clinic.ClinicId, patientId, ct) is { } hours ? TypedResults.Ok(PreferredHoursDto.From(patientId, hours)) : TypedResults.NotFound();

    static async Task<Results<Ok<RecordingDto>, ValidationProblem, NotFound>> SetRecording(
        Guid id, SetRecordingRequest request, ClinicContext clinic, Makeups makeups, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || request.Url!.Length > 2000)
            errors.Add("url", "The recording link must be an absolute https URL of at most 2000 characters.");
        if (request.DurationMinutes is { } minutes && minutes is < 1 or > NewSession.MaxDurationMinutes)
            errors.Add("durationMinutes", $"The recording lasts 1 to {NewSession.MaxDurationMinutes} minutes.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return await makeups.SetRecording(clinic.ClinicId, id, request.Url!, request.DurationMinutes, ct) switch
        {
            null => TypedResults.NotFound(),
            false => FieldErrors.Problem(new FieldError("kind", "Recordings are kept for educational-module sessions only.")),
            true => TypedResults.Ok(new RecordingDto(id, request.Url!, request.DurationMinutes))
        };
    }

    static async Task<Results<Ok<IReadOnlyList<MakeupDto>>, ValidationProblem>> ListMakeups(
        Guid? patientId, int? limit, string? cursor, ClinicContext clinic, Makeups makeups, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (patientId is not { } patient || patient == Guid.Empty) errors.Add("patientId", "The patient id is required.");
        if (!PageRequest.TryCreate(limit, cursor, errors, out var page) || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (found, nextCursor) = await makeups.ForPatient(clinic.ClinicId, patientId!.Value, page, ct);
        KeysetPages.Announce(http, nextCursor);
        return TypedResults.Ok<IReadOnlyList<MakeupDto>>(found.Select(MakeupDto.From).ToList());
    }

    static async Task<Results<Ok<MakeupDto>, NotFound>> GetMakeup(Guid id, ClinicContext clinic, Makeups makeups, CancellationToken ct) =>
        await makeups.Find(clinic.ClinicId, id, ct) is { } makeup ? TypedResults.Ok(MakeupDto.From(makeup)) : TypedResults.NotFound();

    static async Task<Results<Ok<IReadOnlyList<SlotDto>>, ValidationProblem, NotFound, ProblemHttpResult>> ProposeSlots(
        Guid id, int? count, ClinicContext clinic, Makeups makeups, CancellationToken ct)
    {
        if (count is { } n && n is < 1 or > 20) return FieldErrors.Problem(new FieldError("count", "Ask for 1 to 20 slots."));
        var (slots, refusal) = await makeups.Slots(clinic.ClinicId, id, count ?? 5, ct);
        if (slots is not null) return TypedResults.Ok<IReadOnlyList<SlotDto>>(slots.Select(s => new SlotDto(s.ClinicianId, s.StartsAt, s.EndsAt)).ToList());
        return refusal switch
        {
            MakeupRefusal.NotFound => TypedResults.NotFound(),
            MakeupRefusal.KindNotOffered => KindNotOffered(MakeupKind.OneOnOne),
            _ => Conflict(refusal!.Value)
        };
    }

    static async Task<Results<Created<MakeupDto>, ValidationProblem, NotFound, ProblemHttpResult>> BookOneOnOne(
        Guid id, BookMakeupRequest request, ClinicContext clinic, Makeups makeups, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (request.ClinicianId is null || request.ClinicianId == Guid.Empty) errors.Add("clinicianId", "The clinician id is required.");
        if (request.StartsAt is not { } startsAt) errors.Add("startsAt", "The start instant of the slot is required.");
        else if (!InputBounds.IsWithin(startsAt)) errors.RequireWithin("startsAt", startsAt);
        else if (startsAt <= clock.GetUtcNow()) errors.Add("startsAt", "A makeup must start in the future.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (makeup, refusal, error) = await makeups.BookOneOnOne(clinic.ClinicId, id, request.ClinicianId!.Value, request.StartsAt!.Value, ct);
        if (makeup is not null) return TypedResults.Created($"/api/scheduling/sessions/{makeup.SessionId}", MakeupDto.From(makeup));
        if (error is not null) return FieldErrors.Problem(error);
        return refusal switch
        {
            MakeupRefusal.NotFound => TypedResults.NotFound(),
            MakeupRefusal.KindNotOffered => KindNotOffered(MakeupKind.OneOnOne),
            _ => Conflict(refusal!.Value)
        };
    }

    static async Task<Results<Ok<IReadOnlyList<SeatOptionDto>>, ValidationProblem, NotFound, ProblemHttpResult>> GroupOptions(
        Guid id, int? limit, string? cursor, ClinicContext clinic, Waitlists waitlists, HttpContext http, CancellationToken ct)
    {
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var pageProblem)) return pageProblem;
        var (options, nextCursor, refusal) = await waitlists.Options(clinic.ClinicId, id, page, ct);
        if (options is not null)
        {
            KeysetPages.Announce(http, nextCursor);
            return TypedResults.Ok<IReadOnlyList<SeatOptionDto>>(options.Select(SeatOptionDto.From).ToList());
        }
        return refusal switch
        {
            MakeupRefusal.NotFound => TypedResults.NotFound(),
            MakeupRefusal.KindNotOffered => KindNotOffered(MakeupKind.ExtraGroupSlot),
            _ => Conflict(refusal!.Value)
        };
    }

    static async Task<Results<Created<MakeupDto>, Accepted<MakeupDto>, ValidationProblem, NotFound, ProblemHttpResult>> TakeSeat(
        Guid id, TakeSeatRequest request, ClinicContext clinic, Waitlists waitlists, CancellationToken ct)
    {
        if (request.SessionId is not { } sessionId || sessionId == Guid.Empty)
            return FieldErrors.Problem(new FieldError("sessionId", "The session to join is required."));
        var (makeup, refusal) = await waitlists.TakeSeat(clinic.ClinicId, id, sessionId, ct);
        if (makeup is not null)
        {
            return makeup.Status == "waitlisted"
                ? TypedResults.Accepted($"/api/scheduling/makeups/{id}", MakeupDto.From(makeup))
                : TypedResults.Created($"/api/scheduling/sessions/{sessionId}", MakeupDto.From(makeup));
        }
        return refusal switch
        {
            MakeupRefusal.NotFound => TypedResults.NotFound(),
            MakeupRefusal.KindNotOffered => KindNotOffered(MakeupKind.ExtraGroupSlot),
            MakeupRefusal.SessionNotEligible => FieldErrors.Problem(new FieldError("sessionId",
                "Not a session of another cohort or an extra group on the same topic, within the offer's window, that the patient is not already on.")),
            _ => Conflict(refusal!.Value)
        };
    }

    static async Task<Results<Ok<MakeupDto>, NotFound, ProblemHttpResult>> ReleaseSeat(Guid id, ClinicContext clinic, Waitlists waitlists, CancellationToken ct)
    {
        var (makeup, refusal) = await waitlists.Release(clinic.ClinicId, id, ct);
        if (makeup is not null) return TypedResults.Ok(MakeupDto.From(makeup));
        return refusal == MakeupRefusal.NotFound ? TypedResults.NotFound() : Conflict(refusal!.Value);
    }

    static async Task<Results<Ok<MakeupDto>, ValidationProblem, NotFound, ProblemHttpResult>> ChooseRecording(
        Guid id, ClinicContext clinic, Makeups makeups, CancellationToken ct)
    {
        var result = await makeups.ChooseRecording(clinic.ClinicId, id, ct);
        if (result.Makeup is { } makeup) return TypedResults.Ok(MakeupDto.From(makeup));
        return result.Refusal switch
        {
            MakeupRefusal.NotFound => TypedResults.NotFound(),
            MakeupRefusal.KindNotOffered => KindNotOffered(MakeupKind.Recording),
            _ => Conflict(result.Refusal!.Value)
        };
    }

    static async Task<Results<Ok<MakeupDto>, ValidationProblem, NotFound, ProblemHttpResult>> ReportWatching(
        Guid id, WatchProgressRequest request, ClinicContext clinic, Makeups makeups, CancellationToken ct)
    {
        if (request.MinutesWatched is not { } minutes || minutes is < 0 or > MaxWatchMinutes)
            return FieldErrors.Problem(new FieldError("minutesWatched", $"Minutes watched are 0 to {MaxWatchMinutes}."));
        var (result, _) = await makeups.ReportWatching(clinic.ClinicId, id, minutes, webhookEventId: null, ct);
        if (result.Makeup is { } makeup) return TypedResults.Ok(MakeupDto.From(makeup));
        return result.Refusal == MakeupRefusal.NotFound ? TypedResults.NotFound() : Conflict(result.Refusal!.Value);
    }

    internal static ValidationProblem KindNotOffered(MakeupKind kind) => FieldErrors.Problem(new FieldError("kind", kind switch
    {
        MakeupKind.Recording => "A recording is offered only for a missed educational-module session, when the program allows recordings.",
        MakeupKind.ExtraGroupSlot => "A seat in another cohort is offered only for a missed cohort session with a topic, when the program allows it.",
        _ => "The program does not offer one-on-one makeups."
    }));

    internal static ProblemHttpResult Conflict(MakeupRefusal refusal) => refusal switch
    {
        MakeupRefusal.Expired => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Makeup expired",
            detail: "The offer ran out before it was taken up."),
        MakeupRefusal.SlotTaken => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Slot taken",
            detail: "The clinician or the patient was just booked at an overlapping time; pick another slot."),
        MakeupRefusal.NoRecording => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No recording yet",
            detail: "The session's recording link has not been set yet."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Makeup not open",
            detail: "The makeup was already taken up, completed or expired, so this step does not apply.")
    };
}
