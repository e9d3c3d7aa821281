namespace VirtualIop.Contracts.Notification;

/// <summary>
/// A patient answered a reminder with N ("I cannot attend"). Attendance turns it into an advance absence notice
/// (reason category other, recorded by the patient through SMS); the reply's text never travels.
/// </summary>
public sealed record SessionDeclinedByReply(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    string Channel,
    DateTimeOffset ReceivedAt) : IIntegrationEvent;
