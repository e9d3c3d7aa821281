namespace VirtualIop.Contracts.Scheduling;

public sealed record SessionCancelled(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    DateTimeOffset StartsAt,
    string TimeZone,
    string Reason,
    long? Version = null) : IVersionedEvent;
