namespace VirtualIop.Scheduling.Domain;

public sealed record Topic(Guid Id, int Position, string Title, SessionKind Kind);

public sealed record IopProgram(Guid Id, string Name, IReadOnlyList<Topic> Topics, DateTimeOffset CreatedAt)
{
    /// <summary>The program's phases in order; empty when the program has none.</summary>
    public IReadOnlyList<Phase> Phases { get; init; } = [];
}

/// <summary>
/// A therapy group and its current roster (active enrolments, in the order patients joined). A rolling cohort takes patients
/// at any session and lets a discharged patient rejoin on their enrolment.
/// </summary>
public sealed record Cohort(
    Guid Id,
    Guid ProgramId,
    string Name,
    Guid FacilitatorClinicianId,
    int Capacity,
    string TimeZone,
    IReadOnlyList<Guid> Roster,
    DateTimeOffset CreatedAt,
    bool Rolling = false);

public sealed record Enrolment(Guid Id, Guid CohortId, Guid PatientId, DateTimeOffset EnrolledAt);

/// <summary>Why an enrolment change did not happen; each maps to one ProblemDetails answer.</summary>
public enum EnrolmentRefusal
{
    CohortNotFound,
    NotEnrolled,
    AlreadyEnrolled,
    CohortFull,
    OtherProgram,
    SameCohort,
    NotRolling,
    StillEnrolled
}
