namespace VirtualIop.Contracts.Scheduling;

/// <summary>An offered makeup was withdrawn before the patient chose one: the absence notice it was offered for was withdrawn, or the session it would make up was cancelled.</summary>
public sealed record MakeupWithdrawn(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    DateTimeOffset WithdrawnAt,
    long? Version = null) : IVersionedEvent;
