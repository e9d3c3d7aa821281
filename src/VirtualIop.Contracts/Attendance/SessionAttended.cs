namespace VirtualIop.Contracts.Attendance;

public sealed record SessionAttended(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    DateTimeOffset CheckedInAt) : IIntegrationEvent;
