namespace VirtualIop.Contracts.Scheduling;

/// <summary>An offered makeup was withdrawn before the patient chose one: the absence notice it was offered for was withdrawn, the session it would make up was cancelled, or a clinician corrected the miss to present or excused.</summary>
public sealed record MakeupWithdrawn(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    DateTimeOffset WithdrawnAt,
    long? Version = null) : IVersionedEvent;
