namespace VirtualIop.Contracts.Notification;

public sealed record ReminderSent(
    Guid EventId,
    Guid ClinicId,
    Guid DeliveryId,
    Guid SessionId,
    Guid PatientId,
    string Channel,
    DateTimeOffset SentAt) : IIntegrationEvent;
