namespace VirtualIop.Contracts.Attendance;

/// <summary>
/// A patient, or staff for them, gave notice of an absence. ReasonCategory: technicalDifficulty,
/// schedulingConflict, illness, emergency, lowMotivation, other. Free-text notes never travel in events.
/// </summary>
public sealed record AbsenceNotified(
    Guid EventId,
    Guid ClinicId,
    Guid NoticeId,
    Guid SessionId,
    Guid PatientId,
    string ReasonCategory,
    bool Excused,
    DateTimeOffset SessionStartsAt,
    string TimeZone,
    DateTimeOffset NotifiedAt) : IIntegrationEvent;
