namespace VirtualIop.Contracts.Scheduling;

public sealed record MakeupCompleted(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    string Kind,
    DateTimeOffset CompletedAt,
    long? Version = null) : IVersionedEvent;
