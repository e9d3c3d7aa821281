namespace VirtualIop.Contracts.Scheduling;

/// <summary>
/// A makeup was booked; SessionId and StartsAt are null for a recording. BookedAt orders this report against the makeup's
/// others (null only from publishers older than the field).
/// </summary>
public sealed record MakeupBooked(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    string Kind,
    Guid? SessionId,
    DateTimeOffset? StartsAt,
    string TimeZone,
    DateTimeOffset? BookedAt = null,
    long? Version = null) : IVersionedEvent;
