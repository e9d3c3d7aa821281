namespace VirtualIop.Engagement.Domain;

/// <summary>
/// The follow-ups a risk's signals call for: technical trouble gets technical support, not counselling; misses get
/// individual counselling to explore the barriers, and at high risk a motivational interviewing session too; a low
/// attendance rate or a recurring slot conflict gets a treatment-plan review (frequency, modality or time); repeated
/// low motivation gets motivational interviewing and, at high risk and where the program suggests it, family or
/// support involvement (which the consent gate may still withhold).
/// </summary>
public static class FollowUpSuggestions
{
    public static IReadOnlyList<(FollowUpKind Kind, RiskSignal Because)> For(RiskAssessment risk, PatternSettings settings)
    {
        var suggestions = new List<(FollowUpKind, RiskSignal)>();
        foreach (var signal in risk.Signals)
        {
            switch (signal.Rule)
            {
                case EngagementPatterns.TechnicalDifficulties:
                    suggestions.Add((FollowUpKind.TechnicalSupport, signal));
                    break;
                case EngagementPatterns.ConsecutiveMisses or EngagementPatterns.MissesInWindow:
                    suggestions.Add((FollowUpKind.IndividualCounselling, signal));
                    if (signal.Level == RiskLevel.High) suggestions.Add((FollowUpKind.MotivationalInterviewing, signal));
                    break;
                case EngagementPatterns.AttendanceBelowThreshold or EngagementPatterns.SameSlotAbsences:
                    suggestions.Add((FollowUpKind.TreatmentPlanReview, signal));
                    break;
                case EngagementPatterns.RepeatedLowMotivation:
                    suggestions.Add((FollowUpKind.MotivationalInterviewing, signal));
                    if (risk.Level == RiskLevel.High && settings.SuggestFamilyInvolvement) suggestions.Add((FollowUpKind.FamilyInvolvement, signal));
                    break;
            }
        }
        return suggestions.DistinctBy(s => s.Item1).ToList();
    }
}
