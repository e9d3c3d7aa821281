namespace VirtualIop.Contracts.Scheduling;

public sealed record SessionScheduled(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    string Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<Guid> PatientIds) : IIntegrationEvent;
