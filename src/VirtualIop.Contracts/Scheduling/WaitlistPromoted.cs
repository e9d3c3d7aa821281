namespace VirtualIop.Contracts.Scheduling;

/// <summary>A waitlisted patient took a freed seat; Version is the session's, as in the SessionParticipantAdded published with it.</summary>
public sealed record WaitlistPromoted(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    Guid PatientId,
    Guid? MakeupId,
    DateTimeOffset StartsAt,
    string TimeZone,
    DateTimeOffset PromotedAt,
    long? Version = null) : IVersionedEvent;
