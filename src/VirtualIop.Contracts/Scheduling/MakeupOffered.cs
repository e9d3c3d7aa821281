namespace VirtualIop.Contracts.Scheduling;

/// <summary>
/// Makeups were offered for a missed session, or offered again when the session a makeup was booked into was cancelled.
/// OfferedKinds: oneOnOne, extraGroupSlot, recording. OfferedAt orders this report against the makeup's others (null only
/// from publishers older than the field).
/// </summary>
public sealed record MakeupOffered(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    IReadOnlyList<string> OfferedKinds,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? OfferedAt = null,
    long? Version = null) : IVersionedEvent;
