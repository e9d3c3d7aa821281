namespace VirtualIop.Contracts.Attendance;

public sealed record SessionMissed(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    DateTimeOffset SessionStartsAt,
    string TimeZone,
    DateTimeOffset DetectedAt) : IIntegrationEvent;
