namespace VirtualIop.Contracts.Scheduling;

public sealed record WaitlistPromoted(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    Guid? MakeupId,
    DateTimeOffset StartsAt,
    string TimeZone,
    DateTimeOffset PromotedAt) : IIntegrationEvent;
