namespace VirtualIop.Contracts.Scheduling;

public sealed record MakeupExpired(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    DateTimeOffset ExpiredAt,
    long? Version = null) : IVersionedEvent;
