using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>An extra makeup group as a coordinator proposes it: any part may be missing or wrong.</summary>
public sealed record ExtraGroupProposal(
    Guid? TopicId, DateTimeOffset? StartsAt, int? DurationMinutes, Guid? FacilitatorClinicianId, int? Capacity, string? TimeZone);

/// <summary>
/// An extra makeup group that passed the rules: a topic of the program, a future start, a session's length, a
/// facilitator, 1 to 50 seats (as a cohort) and an IANA time zone. It is held as a makeup session with its own seats.
/// </summary>
public sealed record NewExtraGroup(Guid TopicId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, Guid FacilitatorClinicianId, int Capacity, string TimeZone)
{
    public static bool TryCreate(ExtraGroupProposal proposal, DateTimeOffset now, [NotNullWhen(true)] out NewExtraGroup? group,
        out IReadOnlyList<FieldError> errors, int minDurationMinutes = NewSession.DefaultMinDurationMinutes)
    {
        var found = new List<FieldError>();
        if (proposal.TopicId is null || proposal.TopicId == Guid.Empty) found.Add(new("topicId", "The topic id is required."));

        if (proposal.StartsAt is not { } startsAt) found.Add(new("startsAt", "The start instant is required."));
        else if (DateBounds.Check("startsAt", startsAt) is { } outOfRange) found.Add(outOfRange);
        else if (startsAt <= now) found.Add(new("startsAt", "An extra group must start in the future."));

        if (proposal.DurationMinutes is not { } duration) found.Add(new("durationMinutes", "The duration is required."));
        else if (duration < minDurationMinutes || duration > NewSession.MaxDurationMinutes)
            found.Add(new("durationMinutes", $"The duration must be {minDurationMinutes} to {NewSession.MaxDurationMinutes} minutes."));

        if (proposal.FacilitatorClinicianId is null || proposal.FacilitatorClinicianId == Guid.Empty)
            found.Add(new("facilitatorClinicianId", "The facilitator clinician id is required."));

        if (CohortCapacity.Check(proposal.Capacity, currentRoster: 0) is { } capacityError) found.Add(capacityError);

        if (string.IsNullOrWhiteSpace(proposal.TimeZone)) found.Add(new("timeZone", "The time zone is required."));
        else if (!InputBounds.IsIanaTimeZone(proposal.TimeZone))
            found.Add(new("timeZone", "The time zone must be a known IANA time zone, such as \"America/New_York\"."));

        errors = found;
        if (found.Count > 0)
        {
            group = null;
            return false;
        }
        var start = proposal.StartsAt!.Value.ToUniversalTime();
        group = new NewExtraGroup(proposal.TopicId!.Value, start, start.AddMinutes(proposal.DurationMinutes!.Value), proposal.FacilitatorClinicianId!.Value,
            proposal.Capacity!.Value, proposal.TimeZone!);
        return true;
    }
}
