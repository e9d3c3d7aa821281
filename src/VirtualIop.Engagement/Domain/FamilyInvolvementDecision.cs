namespace VirtualIop.Engagement.Domain;

/// <summary>What led to a decision about family or support involvement: the pattern rules, a clinician, or a revoked consent.</summary>
public enum FamilyInvolvementTrigger
{
    Pattern,
    Clinician,
    ConsentRevoked,
    ConsentExpired
}

/// <summary>What came of it: a task opened under a consent, withheld for want of one, or a task cancelled by a revocation.</summary>
public enum FamilyInvolvementOutcome
{
    TaskOpened,
    Withheld,
    TaskCancelled
}
