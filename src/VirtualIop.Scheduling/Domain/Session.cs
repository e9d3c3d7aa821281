namespace VirtualIop.Scheduling.Domain;

/// <summary>
/// A scheduled session as stored: instants in UTC, the IANA time zone kept for display; Status is scheduled or
/// cancelled, Sequence counts its changes (iCalendar SEQUENCE).
/// </summary>
public sealed record Session(
    Guid Id,
    SessionKind Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<Guid> PatientIds,
    DateTimeOffset CreatedAt,
    string Status = "scheduled",
    int Sequence = 0);
