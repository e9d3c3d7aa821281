using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>A session as a clinic proposes it: any part may be missing or wrong.</summary>
public sealed record SessionProposal(
    SessionKind? Kind,
    DateTimeOffset? StartsAt,
    int? DurationMinutes,
    string? TimeZone,
    IReadOnlyList<Guid>? PatientIds);

/// <summary>A session that passed every scheduling rule and can be stored.</summary>
public sealed record NewSession(SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, IReadOnlyList<Guid> PatientIds)
{
    public const int DefaultMinDurationMinutes = 15;
    public const int MaxDurationMinutes = 480;
    public const int MaxParticipants = 50;

    /// <summary>
    /// Applies the scheduling rules: a known kind; a start in the future; a duration of <paramref name="minDurationMinutes"/> (15 unless a program
    /// configures shorter check-ins) to 8 hours;
    /// an IANA time zone the server knows; 1 to 50 distinct, non-empty patient ids.
    /// </summary>
    public static bool TryCreate(
        SessionProposal proposal,
        DateTimeOffset now,
        [NotNullWhen(true)] out NewSession? session,
        out IReadOnlyList<FieldError> errors,
        int minDurationMinutes = DefaultMinDurationMinutes)
    {
        var found = new List<FieldError>();

        if (proposal.Kind is null) found.Add(new("kind", "The session kind is required."));

        if (proposal.StartsAt is not { } startsAt) found.Add(new("startsAt", "The start instant is required."));
        else if (DateBounds.Check("startsAt", startsAt) is { } outOfRange) found.Add(outOfRange);
        else if (startsAt <= now) found.Add(new("startsAt", "A session must start in the future."));

        if (proposal.DurationMinutes is not { } duration) found.Add(new("durationMinutes", "The duration is required."));
        else if (duration < minDurationMinutes || duration > MaxDurationMinutes)
            found.Add(new("durationMinutes", $"The duration must be {minDurationMinutes} to {MaxDurationMinutes} minutes."));

        if (string.IsNullOrWhiteSpace(proposal.TimeZone)) found.Add(new("timeZone", "The time zone is required."));
        else if (!InputBounds.IsIanaTimeZone(proposal.TimeZone))
            found.Add(new("timeZone", "The time zone must be a known IANA time zone, such as \"America/New_York\"."));

        found.AddRange(ParticipantErrors(proposal.PatientIds));

        errors = found;
        if (found.Count > 0)
        {
            session = null;
            return false;
        }

        var start = proposal.StartsAt!.Value.ToUniversalTime();
        session = new NewSession(proposal.Kind!.Value, start, start.AddMinutes(proposal.DurationMinutes!.Value),
            proposal.TimeZone!, proposal.PatientIds!);
        return true;
    }

    static IEnumerable<FieldError> ParticipantErrors(IReadOnlyList<Guid>? patientIds)
    {
        if (patientIds is null || patientIds.Count == 0)
        {
            yield return new("patientIds", "A session needs at least one patient.");
            yield break;
        }
        if (patientIds.Count > MaxParticipants)
            yield return new("patientIds", $"A session can have at most {MaxParticipants} patients.");
        if (patientIds.Contains(Guid.Empty))
            yield return new("patientIds", "Patient ids must not be empty.");
        if (patientIds.Distinct().Count() != patientIds.Count)
            yield return new("patientIds", "Each patient can be listed only once.");
    }
}
