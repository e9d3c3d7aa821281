namespace VirtualIop.Web.Patient;

/// <summary>How the page words the policy's answer: which message, and the numbers it needs.</summary>
public enum StandingTone
{
    /// <summary>All is well.</summary>
    Steady,
    /// <summary>One more absence would go past a limit: a gentle heads-up, with an invitation to talk to the clinic.</summary>
    Close,
    /// <summary>Past a limit: the clinic will reach out to help, not to punish.</summary>
    Reaching
}

/// <param name="Excused">The notice was excused under the program's policy.</param>
/// <param name="ExcusedRemaining">Excused absences still within the policy's window, when the policy tells.</param>
public sealed record PolicyExplanation(bool Excused, int? ExcusedRemaining, StandingTone Tone);

/// <summary>What the absence policy means for the patient after a notice, from the notice and the policy standing.</summary>
public static class PolicyWording
{
    const string MaxExcusedRule = "maxExcusedAbsences";

    /// <param name="standings">The patient's standing in each program they attend; with several, the one closest to a limit speaks.</param>
    public static PolicyExplanation Explain(bool excused, IReadOnlyList<StandingView> standings)
    {
        // The limit is what is still allowed: with a limit of 4 and 3 used, one more is within the policy.
        var remaining = standings.SelectMany(s => s.Rules).Where(r => r.Rule == MaxExcusedRule)
            .Select(r => (int?)Math.Max(0, r.Limit - r.Current)).Min();
        var tone = standings.Select(s => s.Status switch
        {
            "inBreach" => StandingTone.Reaching,
            "atRisk" => StandingTone.Close,
            _ => StandingTone.Steady
        }).DefaultIfEmpty(StandingTone.Steady).Max();
        return new PolicyExplanation(excused, remaining, tone);
    }
}
