using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>A therapy group as a clinic proposes it.</summary>
public sealed record CohortProposal(Guid? ProgramId, string? Name, Guid? FacilitatorClinicianId, int? Capacity, string? TimeZone, bool? Rolling = null);

/// <summary>A cohort that passed the rules: a program, a name, a facilitator, 1 to 50 seats, an IANA time zone, rolling or not (not by default).</summary>
public sealed record NewCohort(Guid ProgramId, string Name, Guid FacilitatorClinicianId, int Capacity, string TimeZone, bool Rolling = false)
{
    public const int MaxCapacity = NewSession.MaxParticipants;

    public static bool TryCreate(CohortProposal proposal, [NotNullWhen(true)] out NewCohort? cohort, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (proposal.ProgramId is null || proposal.ProgramId == Guid.Empty) found.Add(new("programId", "The program id is required."));

        var name = proposal.Name?.Trim();
        if (string.IsNullOrEmpty(name)) found.Add(new("name", "The cohort name is required."));
        else if (name.Length > NewProgram.MaxNameLength)
            found.Add(new("name", $"The cohort name may have at most {NewProgram.MaxNameLength} characters."));

        if (proposal.FacilitatorClinicianId is null || proposal.FacilitatorClinicianId == Guid.Empty)
            found.Add(new("facilitatorClinicianId", "The facilitator clinician id is required."));

        if (CohortCapacity.Check(proposal.Capacity, currentRoster: 0) is { } capacityError) found.Add(capacityError);

        if (string.IsNullOrWhiteSpace(proposal.TimeZone)) found.Add(new("timeZone", "The time zone is required."));
        else if (!InputBounds.IsIanaTimeZone(proposal.TimeZone))
            found.Add(new("timeZone", "The time zone must be a known IANA time zone, such as \"America/New_York\"."));

        errors = found;
        cohort = found.Count == 0
            ? new NewCohort(proposal.ProgramId!.Value, name!, proposal.FacilitatorClinicianId!.Value, proposal.Capacity!.Value, proposal.TimeZone!,
                proposal.Rolling ?? false)
            : null;
        return cohort is not null;
    }
}

public static class CohortCapacity
{
    /// <summary>A cohort seats 1 to 50 patients and never fewer than it already has enrolled.</summary>
    public static FieldError? Check(int? capacity, int currentRoster) => capacity switch
    {
        null => new("capacity", "The capacity is required."),
        < 1 or > NewCohort.MaxCapacity => new("capacity", $"The capacity must be 1 to {NewCohort.MaxCapacity}."),
        _ when capacity < currentRoster => new("capacity",
            $"The capacity cannot be below the current roster of {currentRoster} patients; discharge or transfer patients first."),
        _ => null
    };
}
