namespace VirtualIop.Contracts.Engagement;

/// <summary>Missed content (summary, homework, recording, peer support) was assigned to a patient after a miss.</summary>
public sealed record ContinuityAssigned(
    Guid EventId,
    Guid ClinicId,
    Guid PackageId,
    Guid PatientId,
    Guid SessionId,
    DateTimeOffset AssignedAt) : IIntegrationEvent;
