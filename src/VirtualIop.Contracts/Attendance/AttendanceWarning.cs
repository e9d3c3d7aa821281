namespace VirtualIop.Contracts.Attendance;

/// <summary>A patient is one step from a limit of the program policy (Rule names it); sent before the limit, not after.</summary>
public sealed record AttendanceWarning(
    Guid EventId,
    Guid ClinicId,
    Guid PatientId,
    Guid? ProgramId,
    string Rule,
    decimal Current,
    decimal Limit,
    DateTimeOffset EvaluatedAt) : IIntegrationEvent;
