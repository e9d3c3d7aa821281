namespace VirtualIop.Engagement.Domain;

/// <summary>
/// How missed content was addressed: the package done, the session made up, waived by a clinician with a reason, or
/// closed because a clinician corrected the miss to present or excused.
/// </summary>
public enum CatchUpResolution
{
    Completed,
    MadeUp,
    Waived,
    Corrected
}
