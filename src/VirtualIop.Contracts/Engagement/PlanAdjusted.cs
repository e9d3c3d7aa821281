namespace VirtualIop.Contracts.Engagement;

/// <summary>
/// A clinician adjusted a patient's treatment plan, for Scheduling to act on. Change: frequency or modality;
/// SessionsPerWeek is set for a frequency change, Modality (group, individual, hybrid) for a modality change.
/// EffectiveFrom, when set, is the first local date the new frequency or modality governs (in each session's time zone);
/// without it the change governs every session that has not started. The rationale stays in Engagement's log.
/// </summary>
public sealed record PlanAdjusted(
    Guid EventId,
    Guid ClinicId,
    Guid EntryId,
    Guid PatientId,
    string Change,
    int? SessionsPerWeek,
    string? Modality,
    DateTimeOffset AdjustedAt,
    DateOnly? EffectiveFrom = null) : IIntegrationEvent
{
    /// <summary>The fewest sessions a week a frequency change may name.</summary>
    public const int MinSessionsPerWeek = 1;

    /// <summary>
    /// The most sessions a week a frequency change may name: an IOP meets at most once a day, and a cohort's series has
    /// at most one occurrence a day. Engagement refuses more and Scheduling ignores more, so the rule lives with the event.
    /// </summary>
    public const int MaxSessionsPerWeek = 7;

    public static bool IsValidSessionsPerWeek(int sessionsPerWeek) => sessionsPerWeek is >= MinSessionsPerWeek and <= MaxSessionsPerWeek;
}
