using System.Text.Json.Serialization;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

public sealed record MakeupSettingsRequest(
    IReadOnlyList<MakeupKind>? AllowedKinds, int? ExpiryDays, int? SearchWindowDays, int? OneOnOneMinutes, decimal? RecordingCompletionShare);

public sealed record MakeupSettingsDto(
    Guid ProgramId, IReadOnlyList<MakeupKind> AllowedKinds, int ExpiryDays, int SearchWindowDays, int OneOnOneMinutes, decimal RecordingCompletionShare)
{
    public static MakeupSettingsDto From(Guid programId, MakeupSettings s) =>
        new(programId, s.AllowedKinds, s.ExpiryDays, s.SearchWindowDays, s.OneOnOneMinutes, s.RecordingCompletionShare);
}

/// <summary>A patient's preferred hours for one-on-one makeups: weekly local hours in their IANA zone.</summary>
public sealed record PreferredHoursRequest(string? TimeZone, IReadOnlyList<WorkingHoursDto?>? WeeklyHours);

public sealed record PreferredHoursDto(Guid PatientId, string TimeZone, IReadOnlyList<WorkingHoursDto> WeeklyHours)
{
    public static PreferredHoursDto From(Guid patientId, Availability hours) =>
        new(patientId, hours.TimeZone, AvailabilityDto.From(patientId, hours).WeeklyHours);
}

public sealed record SetRecordingRequest(string? Url, int? DurationMinutes);

public sealed record RecordingDto(Guid SessionId, string Url, int? DurationMinutes);

/// <summary>
/// A makeup: what was offered, what the patient chose, and where it stands (offered, waitlisted, booked, watching,
/// completed, expired, withdrawn). waitlistPosition counts from 1; recordingUrl is set once a recording was chosen.
/// </summary>
public sealed record MakeupDto(
    Guid Id, Guid MissedSessionId, Guid PatientId, Guid ProgramId, IReadOnlyList<MakeupKind> OfferedKinds, string Status, MakeupKind? Kind,
    Guid? SessionId, int? WaitlistPosition, string? RecordingUrl, int MinutesWatched, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? BookedAt, DateTimeOffset? CompletedAt, DateTimeOffset? ExpiredAt, DateTimeOffset? WithdrawnAt)
{
    public static MakeupDto From(Makeup m) => new(m.Id, m.MissedSessionId, m.PatientId, m.ProgramId, m.OfferedKinds, m.Status, m.Kind,
        m.SessionId, m.WaitlistPosition, m.RecordingUrl, m.MinutesWatched, m.OfferedAt, m.ExpiresAt, m.BookedAt, m.CompletedAt, m.ExpiredAt, m.WithdrawnAt);
}

public sealed record SlotDto(Guid ClinicianId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record BookMakeupRequest(
    Guid? ClinicianId,
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? StartsAt);

/// <summary>A session a makeup can take a seat in: another cohort's (cohortId) or an extra makeup group (extraGroup, no cohort).</summary>
public sealed record SeatOptionDto(Guid SessionId, Guid? CohortId, bool ExtraGroup, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string TimeZone, int Capacity, int SeatsTaken, int Waiting)
{
    public static SeatOptionDto From(SeatOption o) => new(o.SessionId, o.CohortId, o.ExtraGroup, o.Kind, o.StartsAt, o.EndsAt, o.TimeZone, o.Capacity, o.Seated, o.Waiting);
}

public sealed record TakeSeatRequest(Guid? SessionId);

public sealed record WatchProgressRequest(int? MinutesWatched);

/// <summary>What the video platform posts: its delivery id (for replay detection), the makeup it was given, minutes watched.</summary>
public sealed record RecordingWebhookPayload(string? EventId, Guid? MakeupId, int? MinutesWatched);
