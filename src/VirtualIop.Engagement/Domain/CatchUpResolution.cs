namespace VirtualIop.Engagement.Domain;

/// <summary>How missed content was addressed: the package done, the session made up, or waived by a clinician with a reason.</summary>
public enum CatchUpResolution
{
    Completed,
    MadeUp,
    Waived
}
