namespace VirtualIop.Contracts.Notification;

/// <summary>
/// A patient who declined a session by answering N to a reminder then answered the question that followed with a
/// number from its menu. Attendance sets ReasonCategory (technicalDifficulty, schedulingConflict, illness, emergency,
/// lowMotivation, other) on the absence notice the decline gave; the reply's text never travels.
/// </summary>
public sealed record AbsenceReasonGivenByReply(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    string ReasonCategory,
    string Channel,
    DateTimeOffset ReceivedAt) : IIntegrationEvent;
