namespace VirtualIop.Engagement.Domain;

/// <summary>Why a patient was given a session's content: a no-show, or an absence they told the clinic about.</summary>
public enum ContinuityCause
{
    SessionMissed,
    AbsenceNotified
}
