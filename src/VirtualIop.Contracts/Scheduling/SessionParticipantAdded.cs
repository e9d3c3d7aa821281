namespace VirtualIop.Contracts.Scheduling;

/// <summary>A patient joined a session after it was scheduled (enrolment, transfer, makeup seat, waitlist promotion).</summary>
public sealed record SessionParticipantAdded(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    long? Version = null) : IVersionedEvent;
