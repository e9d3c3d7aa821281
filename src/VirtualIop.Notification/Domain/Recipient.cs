namespace VirtualIop.Notification.Domain;

/// <summary>Who a delivery goes to: the patient it concerns, their clinician, the clinic's help desk (a ticket), or a family or support contact.</summary>
public enum Recipient
{
    Patient,
    Clinician,
    HelpDesk,
    /// <summary>Only when a consent covers them, the purpose and the date; every send is a recorded disclosure.</summary>
    SupportContact,
    /// <summary>The program's on-call contact, alerted when a safety check is not acknowledged in time.</summary>
    OnCall
}
