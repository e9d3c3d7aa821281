namespace VirtualIop.Notification.Domain;

public enum DeliveryKind
{
    Reminder,
    /// <summary>The platform alert shortly before the start, with the join link.</summary>
    JoinAlert,
    MissedSession,
    /// <summary>The notice that a session the patient was booked on is cancelled.</summary>
    SessionCancelled,
    /// <summary>Thanks for letting us know: the answer to an advance absence notice, with the ways to catch up.</summary>
    AbsenceAcknowledged,
    /// <summary>Help with the video link or the device, after an absence put down to technical difficulty.</summary>
    TechnicalSupport,
    /// <summary>A supportive word to a patient nearing or past a limit of the program's attendance policy.</summary>
    AttendanceSupport,
    /// <summary>To a clinician: one of their patients may need a follow-up.</summary>
    ClinicianAlert,
    /// <summary>A ticket opened at the clinic's help desk (ids only).</summary>
    HelpDeskTicket,
    /// <summary>A seat opened up: the patient moved from the waitlist onto a session.</summary>
    WaitlistPromoted,
    MakeupBooked,
    /// <summary>The makeups offered for a missed session, when they came after the "we missed you" message.</summary>
    MakeupOptions,
    /// <summary>To a family or support contact, with the patient's consent: the patient missed a session, and how to encourage them.</summary>
    SupportUpdate,
    /// <summary>The makeup session the patient booked was cancelled: it can no longer go ahead, and the ways to catch up are open again.</summary>
    MakeupReopened,
    /// <summary>The catch-up for a missed session is ready: a supportive word and the link to it (summary, homework, peer support).</summary>
    CatchUpAssigned,
    /// <summary>A gentle reminder, the day before it is due, of catch-up homework not marked done.</summary>
    HomeworkReminder,
    /// <summary>
    /// Urgent, to a clinician (at once, by SMS and by email, whatever the hour) or to the program's on-call contact
    /// (when the clinician has not acknowledged in time): a patient needs a safety check.
    /// </summary>
    SafetyAlert
}
