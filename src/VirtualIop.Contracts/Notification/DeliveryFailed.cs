namespace VirtualIop.Contracts.Notification;

/// <summary>A message could not be delivered on a channel (email, sms, push); Reason is a code, never provider text.</summary>
public sealed record DeliveryFailed(
    Guid EventId,
    Guid ClinicId,
    Guid DeliveryId,
    Guid PatientId,
    Guid? SessionId,
    string Channel,
    string Reason,
    DateTimeOffset FailedAt) : IIntegrationEvent;
