namespace VirtualIop.Contracts.Engagement;

public sealed record FollowUpTaskCreated(
    Guid EventId,
    Guid ClinicId,
    Guid TaskId,
    Guid PatientId,
    Guid SessionId,
    string Reason,
    DateTimeOffset CreatedAt) : IIntegrationEvent;
