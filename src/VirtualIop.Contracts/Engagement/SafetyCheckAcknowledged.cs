namespace VirtualIop.Contracts.Engagement;

/// <summary>
/// A clinician acknowledged a safety check: the task was assigned, started or closed. Status is the task's status
/// after the change (open, inProgress, done, cancelled). Consumers stop any escalation still to come for TaskId.
/// </summary>
public sealed record SafetyCheckAcknowledged(
    Guid EventId,
    Guid ClinicId,
    Guid TaskId,
    Guid PatientId,
    string Status,
    DateTimeOffset AcknowledgedAt) : IIntegrationEvent;
