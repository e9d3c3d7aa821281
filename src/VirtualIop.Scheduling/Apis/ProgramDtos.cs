using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

public sealed record TopicRequest(string? Title, SessionKind? Kind);

/// <summary>A phase of the program: its name and the curriculum topics it covers, by position (1 is the first topic).</summary>
public sealed record PhaseRequest(string? Name, IReadOnlyList<int?>? Topics);

/// <summary>A program; phases are optional, and when given, every topic belongs to exactly one of them.</summary>
public sealed record CreateProgramRequest(string? Name, IReadOnlyList<TopicRequest?>? Topics, IReadOnlyList<PhaseRequest?>? Phases = null);

public sealed record TopicDto(Guid Id, int Position, string Title, SessionKind Kind);

public sealed record PhaseDto(int Position, string Name, IReadOnlyList<Guid> TopicIds)
{
    public static PhaseDto From(Phase p) => new(p.Position, p.Name, p.TopicIds);
}

public sealed record ProgramDto(Guid Id, string Name, IReadOnlyList<TopicDto> Topics, IReadOnlyList<PhaseDto> Phases, DateTimeOffset CreatedAt)
{
    public static ProgramDto From(IopProgram p) =>
        new(p.Id, p.Name, p.Topics.Select(t => new TopicDto(t.Id, t.Position, t.Title, t.Kind)).ToList(), p.Phases.Select(PhaseDto.From).ToList(),
            p.CreatedAt);
}

/// <summary>A new cohort; rolling (default false) lets patients join at any session and rejoin after a discharge on the same enrolment.</summary>
public sealed record CreateCohortRequest(Guid? ProgramId, string? Name, Guid? FacilitatorClinicianId, int? Capacity, string? TimeZone, bool? Rolling);

public sealed record ChangeRollingRequest(bool? Rolling);

public sealed record ChangeCapacityRequest(int? Capacity);

public sealed record CohortDto(
    Guid Id, Guid ProgramId, string Name, Guid FacilitatorClinicianId, int Capacity, string TimeZone,
    IReadOnlyList<Guid> Roster, DateTimeOffset CreatedAt, bool Rolling)
{
    public static CohortDto From(Cohort c) =>
        new(c.Id, c.ProgramId, c.Name, c.FacilitatorClinicianId, c.Capacity, c.TimeZone, c.Roster, c.CreatedAt, c.Rolling);
}

public sealed record EnrolRequest(Guid? PatientId);

public sealed record TransferRequest(Guid? ToCohortId);

public sealed record EnrolmentDto(Guid Id, Guid CohortId, Guid PatientId, DateTimeOffset EnrolledAt)
{
    public static EnrolmentDto From(Enrolment e) => new(e.Id, e.CohortId, e.PatientId, e.EnrolledAt);
}

public sealed record CreateSeriesRequest(string? Rrule, string? StartsAtLocal, int? DurationMinutes, string? TimeZone);

/// <summary>
/// Edits a series from an instant onward: occurrences from then on are replaced by a new series starting at startsAtLocal
/// (at or after <c>from</c>); rrule, durationMinutes and timeZone default to the old series'.
/// </summary>
public sealed record ChangeSeriesRequest(
    [property: System.Text.Json.Serialization.JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? From,
    string? StartsAtLocal, string? Rrule, int? DurationMinutes, string? TimeZone, ChangeReason? Reason);

public sealed record SeriesChangeDto(SeriesDto Series, Guid ReplacedSeriesId, int OccurrencesCancelled);

public sealed record SeriesDto(
    Guid Id, Guid CohortId, string Rrule, string StartsAtLocal, int DurationMinutes, string TimeZone,
    DateTimeOffset MaterialisedUntil, int OccurrencesScheduled);

/// <summary>A cohort's session with its roster; startsAtLocal is the wall-clock start in the session's time zone.</summary>
/// <summary>
/// A session on a patient's own schedule: as <see cref="CohortSessionDto"/>, with the join link (null when none is
/// configured). Read with the patient's own token, patientIds names only them.
/// </summary>
public sealed record PatientSessionDto(
    Guid Id, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, string StartsAtLocal,
    Guid? TopicId, Guid? ClinicianId, Guid? SeriesId, int? OccurrenceIndex, string Status, int Sequence, IReadOnlyList<Guid> PatientIds, string? JoinUrl)
{
    public static PatientSessionDto From(Data.CohortSession s, string? joinUrlTemplate)
    {
        var d = CohortSessionDto.From(s);
        return new(d.Id, d.Kind, d.StartsAt, d.EndsAt, d.TimeZone, d.StartsAtLocal, d.TopicId, d.ClinicianId, d.SeriesId, d.OccurrenceIndex,
            d.Status, d.Sequence, d.PatientIds,
            string.IsNullOrEmpty(joinUrlTemplate) ? null : joinUrlTemplate.Replace("{sessionId}", s.Id.ToString(), StringComparison.Ordinal));
    }
}

public sealed record CohortSessionDto(
    Guid Id, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, string StartsAtLocal,
    Guid? TopicId, Guid? ClinicianId, Guid? SeriesId, int? OccurrenceIndex, string Status, int Sequence, IReadOnlyList<Guid> PatientIds)
{
    public static CohortSessionDto From(Data.CohortSession s) => new(s.Id, s.Kind, s.StartsAt, s.EndsAt, s.TimeZone,
        TimeZoneInfo.ConvertTime(s.StartsAt, TimeZoneInfo.FindSystemTimeZoneById(s.TimeZone)).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
        s.TopicId, s.ClinicianId, s.SeriesId, s.OccurrenceIndex, s.Status, s.Sequence, s.PatientIds);
}
