namespace VirtualIop.Contracts.Engagement;

/// <summary>
/// An urgent safety check was opened for a patient's clinician (a follow-up task of kind safetyCheck). Trigger:
/// emergencyAbsence (an absence notice or a correction with the reason category emergency) or crisisNote (a clinician
/// flagged a note on one of the patient's tasks as a crisis) or silentNoShowsAtHighRisk (no-shows in a row without a
/// reason for a patient already at high risk). SessionId is the session
/// the absence was for, null when it is about no session; ClinicianId and ProgramId are the patient's as Engagement knows
/// them, null when none is known. DueBy is when an unacknowledged check is escalated to the program's on-call contact.
/// </summary>
public sealed record SafetyCheckOpened(
    Guid EventId,
    Guid ClinicId,
    Guid TaskId,
    Guid PatientId,
    Guid? SessionId,
    Guid? ClinicianId,
    Guid? ProgramId,
    string Trigger,
    DateTimeOffset DueBy,
    DateTimeOffset OpenedAt) : IIntegrationEvent;
