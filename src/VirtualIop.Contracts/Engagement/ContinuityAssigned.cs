namespace VirtualIop.Contracts.Engagement;

/// <summary>Missed content (summary, homework, recording, peer support) was assigned to a patient after a miss.</summary>
/// <param name="HomeworkDueOn">The day the package's homework is due, when it has homework with a due date (optional: absent from events written before it was added).</param>
public sealed record ContinuityAssigned(
    Guid EventId,
    Guid ClinicId,
    Guid PackageId,
    Guid PatientId,
    Guid SessionId,
    DateTimeOffset AssignedAt,
    DateOnly? HomeworkDueOn = null) : IIntegrationEvent;
