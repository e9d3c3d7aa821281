namespace VirtualIop.Contracts.Scheduling;

/// <summary>Makeups were offered for a missed session. OfferedKinds: oneOnOne, extraGroupSlot, recording.</summary>
public sealed record MakeupOffered(
    Guid EventId,
    Guid ClinicId,
    Guid MakeupId,
    Guid MissedSessionId,
    Guid PatientId,
    IReadOnlyList<string> OfferedKinds,
    DateTimeOffset ExpiresAt) : IIntegrationEvent;
