namespace VirtualIop.Contracts.Attendance;

public sealed record PolicyBreached(
    Guid EventId,
    Guid ClinicId,
    Guid PatientId,
    Guid? ProgramId,
    string Rule,
    decimal Current,
    decimal Limit,
    DateTimeOffset EvaluatedAt) : IIntegrationEvent;
