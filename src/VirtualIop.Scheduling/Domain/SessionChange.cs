using System.Diagnostics.CodeAnalysis;

namespace VirtualIop.Scheduling.Domain;

/// <summary>
/// Why a session moved or was cancelled. A category, not free text: the reason travels in events, and free text
/// could carry clinical detail.
/// </summary>
public enum ChangeReason
{
    ClinicianUnavailable,
    Holiday,
    TechnicalIssue,
    PatientRequest,
    ProgramChange,
    Other
}

public sealed record RescheduleProposal(DateTimeOffset? StartsAt, int? DurationMinutes, ChangeReason? Reason);

/// <summary>A move that passed the rules: new instants (UTC) and the reason.</summary>
public sealed record Reschedule(DateTimeOffset StartsAt, DateTimeOffset EndsAt, ChangeReason Reason)
{
    /// <summary>
    /// A session moves to a future start, keeping its length unless a new one (15 min to 8 h, or the configured
    /// minimum) is given, and always with a reason.
    /// </summary>
    public static bool TryCreate(
        RescheduleProposal proposal,
        TimeSpan currentLength,
        DateTimeOffset now,
        [NotNullWhen(true)] out Reschedule? reschedule,
        out IReadOnlyList<FieldError> errors,
        int minDurationMinutes = NewSession.DefaultMinDurationMinutes)
    {
        var found = new List<FieldError>();
        if (proposal.StartsAt is not { } startsAt) found.Add(new("startsAt", "The new start instant is required."));
        else if (DateBounds.Check("startsAt", startsAt) is { } outOfRange) found.Add(outOfRange);
        else if (startsAt <= now) found.Add(new("startsAt", "A session can only be moved to the future."));

        if (proposal.DurationMinutes is { } duration && (duration < minDurationMinutes || duration > NewSession.MaxDurationMinutes))
            found.Add(new("durationMinutes", $"The duration must be {minDurationMinutes} to {NewSession.MaxDurationMinutes} minutes."));

        if (proposal.Reason is null) found.Add(new("reason", "A reason is required."));

        errors = found;
        if (found.Count > 0)
        {
            reschedule = null;
            return false;
        }

        var start = proposal.StartsAt!.Value.ToUniversalTime();
        var length = proposal.DurationMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : currentLength;
        reschedule = new Reschedule(start, start + length, proposal.Reason!.Value);
        return true;
    }
}

/// <summary>Why a change to a session was refused; each maps to one ProblemDetails answer.</summary>
public enum SessionChangeRefusal
{
    NotFound,
    Cancelled,
    AlreadyStarted,
    SlotTaken
}
