namespace VirtualIop.Contracts.Scheduling;

/// <summary>
/// A session was put on the schedule. ProgramId, CohortId and TopicId are null for a one-off session
/// outside a program; Kind is one of groupTherapy, individualTherapy, educationalModule, familySession, makeup.
/// </summary>
public sealed record SessionScheduled(
    Guid EventId,
    Guid ClinicId,
    Guid SessionId,
    string Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<Guid> PatientIds,
    Guid? ProgramId = null,
    Guid? CohortId = null,
    Guid? TopicId = null,
    Guid? ClinicianId = null,
    long? Version = null) : IVersionedEvent;
