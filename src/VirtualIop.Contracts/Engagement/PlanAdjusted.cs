namespace VirtualIop.Contracts.Engagement;

/// <summary>
/// A clinician adjusted a patient's treatment plan, for Scheduling to act on. Change: frequency or modality;
/// SessionsPerWeek is set for a frequency change, Modality (group, individual, hybrid) for a modality change.
/// The rationale stays in Engagement's log.
/// </summary>
public sealed record PlanAdjusted(
    Guid EventId,
    Guid ClinicId,
    Guid EntryId,
    Guid PatientId,
    string Change,
    int? SessionsPerWeek,
    string? Modality,
    DateTimeOffset AdjustedAt) : IIntegrationEvent;
