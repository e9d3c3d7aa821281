namespace VirtualIop.Contracts.Scheduling;

public sealed record SessionRescheduled(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    DateTimeOffset PreviousStartsAt,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string Reason,
    long? Version = null) : IVersionedEvent;
