namespace VirtualIop.Contracts.Scheduling;

/// <summary>
/// A clinic created a program. The services that keep settings per program (attendance policy, reminder plan, pattern
/// settings) accept them only for programs they have heard of, through this event or a session that names the program.
/// </summary>
public sealed record ProgramCreated(Guid EventId, Guid ClinicId, Guid ProgramId, DateTimeOffset CreatedAt) : IIntegrationEvent;
