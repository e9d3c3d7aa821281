using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Engagement.Domain;

/// <summary>What the gate needs to know of one of the patient's consents.</summary>
public sealed record ConsentFacts(Guid Id, ConsentScope Scope, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>The gate's answer: the consent a family task relies on, or why no task may be opened.</summary>
public sealed record FamilyInvolvementGate(Guid? ConsentId, string Reason)
{
    public bool Allowed => ConsentId is not null;
}

/// <summary>
/// Family or support involvement (42 CFR Part 2 §2.31): a task to involve a family member or supporter is opened only
/// under a consent that is valid now (neither revoked nor expired) and whose scope covers more than attendance facts:
/// involving someone in the patient's engagement or treatment shares more than "attended / did not attend", so an
/// attendance-only consent does not cover it. Of several covering consents the one valid the longest is used.
/// </summary>
public static class FamilyInvolvementRules
{
    public static bool Covers(ConsentScope scope) => scope is ConsentScope.AttendanceAndEngagement or ConsentScope.TreatmentParticipation;

    public static FamilyInvolvementGate Decide(IReadOnlyCollection<ConsentFacts> consents, DateTimeOffset now)
    {
        var valid = consents.Where(c => ConsentRules.StatusAt(c.ExpiresAt, c.RevokedAt, now) == ConsentStatus.Active).ToList();
        var covering = valid.Where(c => Covers(c.Scope)).OrderByDescending(c => c.ExpiresAt).ThenBy(c => c.Id).FirstOrDefault();
        if (covering is not null)
            return new(covering.Id, $"Consent {covering.Id} ({WireName.Of(covering.Scope)}) is valid until {covering.ExpiresAt:yyyy-MM-dd}.");
        if (consents.Count == 0)
            return new(null, "No consent for family or support involvement is on record for this patient.");
        if (valid.Count == 0)
            return new(null, "Every consent on record for this patient is revoked or expired.");
        return new(null, "The patient's valid consents cover attendance only, not involvement in engagement or treatment.");
    }
}
