namespace VirtualIop.Notification.Domain;

/// <summary>Who a delivery goes to: the patient it concerns, their clinician, or the clinic's help desk (a ticket).</summary>
public enum Recipient
{
    Patient,
    Clinician,
    HelpDesk
}
