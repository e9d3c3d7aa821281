namespace VirtualIop.Contracts.Scheduling;

/// <summary>A patient left a session before it took place (discharge, transfer, cancelled booking).</summary>
public sealed record SessionParticipantRemoved(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    long? Version = null) : IVersionedEvent;
