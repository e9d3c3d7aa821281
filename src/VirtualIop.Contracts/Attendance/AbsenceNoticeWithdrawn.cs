namespace VirtualIop.Contracts.Attendance;

public sealed record AbsenceNoticeWithdrawn(
    Guid EventId,
    Guid ClinicId,
    Guid NoticeId,
    Guid SessionId,
    Guid PatientId,
    DateTimeOffset WithdrawnAt) : IIntegrationEvent;
