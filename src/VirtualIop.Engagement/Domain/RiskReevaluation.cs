namespace VirtualIop.Engagement.Domain;

/// <summary>
/// What one re-evaluation of a patient decides: the new assessment, the follow-ups it newly calls for, and whether
/// the level rose (only a rise is announced; a lower level is stored quietly).
/// </summary>
public sealed record RiskDecision(RiskAssessment Assessment, IReadOnlyList<(FollowUpKind Kind, RiskSignal Because)> NewFollowUps, bool Raised);

/// <summary>
/// Re-evaluates a patient's risk against the previous assessment, whatever prompted it: an Attendance event or
/// homework falling overdue between sessions.
/// </summary>
public static class RiskReevaluation
{
    public static RiskDecision Decide(PatternSettings settings, RiskAssessment previous, IReadOnlyCollection<SessionOutcome> history,
        IReadOnlyCollection<HomeworkState> homework, DateTimeOffset now)
    {
        var assessment = EngagementPatterns.Evaluate(settings, history, now, homework);
        // Follow-ups answer what is new: a rule that fired for the first time or at a higher level, or a kind of
        // follow-up the previous assessment did not call for (family involvement once the level turns high).
        var previousSignals = previous.Signals.Select(s => (s.Rule, s.Level)).ToHashSet();
        var suggestedBefore = FollowUpSuggestions.For(previous, settings).Select(s => s.Kind).ToHashSet();
        var newFollowUps = FollowUpSuggestions.For(assessment, settings)
            .Where(s => !suggestedBefore.Contains(s.Kind) || !previousSignals.Contains((s.Because.Rule, s.Because.Level)))
            .ToList();
        return new RiskDecision(assessment, newFollowUps, assessment.Level > previous.Level);
    }
}
