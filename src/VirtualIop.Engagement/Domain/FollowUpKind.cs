namespace VirtualIop.Engagement.Domain;

/// <summary>
/// What the clinician is asked to do. An outreach follows every single miss; the others answer patterns, and only
/// one of each kind is active (open or in progress) per patient at a time.
/// </summary>
public enum FollowUpKind
{
    MissedSessionOutreach,
    IndividualCounselling,
    MotivationalInterviewing,
    TreatmentPlanReview,
    TechnicalSupport,

    /// <summary>Involving a family member or supporter: only ever opened under a valid consent that covers it (Domain: FamilyInvolvementRules).</summary>
    FamilyInvolvement,

    /// <summary>An urgent check on the patient's safety after an emergency absence; escalated to the program's on-call contact when not acknowledged in time.</summary>
    SafetyCheck
}
