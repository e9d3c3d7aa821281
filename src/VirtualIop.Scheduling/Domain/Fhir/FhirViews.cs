using Hl7.Fhir.Model;

namespace VirtualIop.Scheduling.Domain.Fhir;

/// <summary>One patient's place in one session, with everything its Appointment and Encounter show.</summary>
/// <param name="IsMakeup">A one-on-one makeup session, or a seat the patient took in another cohort's session to make one up.</param>
/// <param name="CancelReason">The <see cref="ChangeReason"/> wire name the session was cancelled with, when kept.</param>
/// <param name="CheckedInAt">The earliest check-in Attendance reported, when the patient attended.</param>
public sealed record AppointmentFacts(
    Guid SessionId,
    Guid PatientId,
    SessionKind Kind,
    bool IsMakeup,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    Guid? ClinicianId,
    AppointmentState State,
    string? CancelReason,
    DateTimeOffset? CheckedInAt);

/// <summary>
/// How Scheduling's sessions read as FHIR R4 resources. One Appointment per patient and session, not one per session:
/// R4 puts no-show and fulfilled on Appointment.status only (participant.status is accepted | declined | tentative |
/// needs-action, with no "did not come"), so a group session where one patient came and another did not can only be
/// told truthfully per patient. A patient's Encounter for a session exists once they attended, with the same id.
/// </summary>
public static class FhirViews
{
    const string CancellationReasons = "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason";
    const string AppointmentTypes = "http://terminology.hl7.org/CodeSystem/v2-0276";
    const string ActCodes = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    const string ParticipationTypes = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    public static Appointment.AppointmentStatus StatusOf(AppointmentState state) => state switch
    {
        AppointmentState.Scheduled => Appointment.AppointmentStatus.Booked,
        AppointmentState.Waitlisted => Appointment.AppointmentStatus.Waitlist,
        AppointmentState.Cancelled or AppointmentState.ExcusedAbsence => Appointment.AppointmentStatus.Cancelled,
        AppointmentState.Attended => Appointment.AppointmentStatus.Fulfilled,
        AppointmentState.NoShow or AppointmentState.UnexcusedAbsence => Appointment.AppointmentStatus.Noshow,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null)
    };

    /// <summary>The states a status search matches: the inverse of <see cref="StatusOf"/> (none for statuses this service never gives).</summary>
    public static IReadOnlyList<AppointmentState> StatesOf(Appointment.AppointmentStatus status) =>
        Enum.GetValues<AppointmentState>().Where(s => StatusOf(s) == status).ToList();

    public static Appointment ToAppointment(AppointmentFacts f)
    {
        var zone = Zone(f.TimeZone);
        var appointment = new Appointment
        {
            Id = FhirIds.Of(f.SessionId, f.PatientId),
            Status = StatusOf(f.State),
            AppointmentType = f.IsMakeup
                ? new CodeableConcept(AppointmentTypes, "FOLLOWUP", "A follow up visit from a previous appointment", "makeup")
                : new CodeableConcept(AppointmentTypes, "ROUTINE", "Routine appointment", "session"),
            ServiceType = [new CodeableConcept { Text = f.Kind.Name() }],
            StartElement = new Instant(TimeZoneInfo.ConvertTime(f.StartsAt, zone)),
            EndElement = new Instant(TimeZoneInfo.ConvertTime(f.EndsAt, zone)),
            MinutesDuration = (int)(f.EndsAt - f.StartsAt).TotalMinutes,
            CancelationReason = CancelationReason(f),
            Participant =
            [
                new Appointment.ParticipantComponent
                {
                    Type = [new CodeableConcept(ParticipationTypes, "SBJ", "subject")],
                    Actor = new ResourceReference($"Patient/{f.PatientId}"),
                    Required = Appointment.ParticipantRequired.Required,
                    Status = f.State switch
                    {
                        AppointmentState.ExcusedAbsence => ParticipationStatus.Declined,
                        AppointmentState.Waitlisted => ParticipationStatus.Tentative,
                        _ => ParticipationStatus.Accepted
                    }
                }
            ]
        };
        if (f.ClinicianId is { } clinician)
        {
            appointment.Participant.Add(new Appointment.ParticipantComponent
            {
                Type = [new CodeableConcept(ParticipationTypes, "PPRF", "primary performer")],
                Actor = new ResourceReference($"Practitioner/{clinician}"),
                Required = Appointment.ParticipantRequired.Required,
                Status = ParticipationStatus.Accepted
            });
        }
        return appointment;
    }

    /// <summary>Why the appointment will not happen: the session's cancellation reason, or the patient's excused absence.</summary>
    static CodeableConcept? CancelationReason(AppointmentFacts f) => f.State switch
    {
        AppointmentState.ExcusedAbsence => new CodeableConcept(CancellationReasons, "pat", "Patient", "excusedAbsence"),
        AppointmentState.Cancelled => f.CancelReason switch
        {
            null => null,
            "clinicianUnavailable" => new CodeableConcept(CancellationReasons, "prov", "Provider", f.CancelReason),
            "technicalIssue" => new CodeableConcept(CancellationReasons, "maint", "Equipment Maintenance/Repair", f.CancelReason),
            "patientRequest" => new CodeableConcept(CancellationReasons, "pat", "Patient", f.CancelReason),
            _ => new CodeableConcept(CancellationReasons, "other", "Other", f.CancelReason)
        },
        _ => null
    };

    /// <returns>The patient's Encounter for the session; null unless they attended it (a cancelled session has none).</returns>
    public static Encounter? ToEncounter(AppointmentFacts f, DateTimeOffset now)
    {
        if (f.State != AppointmentState.Attended) return null;
        var zone = Zone(f.TimeZone);
        var start = f.CheckedInAt is { } checkedIn && checkedIn < f.EndsAt ? checkedIn : f.StartsAt;
        var finished = now >= f.EndsAt;
        var until = finished ? f.EndsAt : now;
        var encounter = new Encounter
        {
            Id = FhirIds.Of(f.SessionId, f.PatientId),
            Status = finished ? Encounter.EncounterStatus.Finished : Encounter.EncounterStatus.InProgress,
            Class = new Coding(ActCodes, "VR", "virtual"),
            ServiceType = new CodeableConcept { Text = f.Kind.Name() },
            Subject = new ResourceReference($"Patient/{f.PatientId}"),
            Appointment = [new ResourceReference($"Appointment/{FhirIds.Of(f.SessionId, f.PatientId)}")],
            Period = new Period
            {
                StartElement = new FhirDateTime(TimeZoneInfo.ConvertTime(start, zone)),
                EndElement = finished ? new FhirDateTime(TimeZoneInfo.ConvertTime(until, zone)) : null
            },
            Length = Minutes(start, until)
        };
        if (f.ClinicianId is { } clinician)
        {
            encounter.Participant.Add(new Encounter.ParticipantComponent
            {
                Type = [new CodeableConcept(ParticipationTypes, "PPRF", "primary performer")],
                Individual = new ResourceReference($"Practitioner/{clinician}")
            });
        }
        return encounter;
    }

    /// <summary>
    /// Whole minutes from check-in to the session's end (or now, while it runs). Attendance publishes no event when a
    /// patient leaves, so this is the time from arriving to the end, not the minutes present net of breaks.
    /// </summary>
    static Duration Minutes(DateTimeOffset from, DateTimeOffset until) => new()
    {
        Value = Math.Max(0, (int)(until - from).TotalMinutes),
        Unit = "min",
        System = "http://unitsofmeasure.org",
        Code = "min"
    };

    /// <summary>The session's IANA zone for the offsets shown; UTC for a zone this machine does not know.</summary>
    static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>An OperationOutcome with one error, for a FHIR client to read instead of problem details.</summary>
    public static OperationOutcome Outcome(OperationOutcome.IssueType code, string diagnostics, string? parameter = null) => new()
    {
        Issue = [Issue(code, diagnostics, parameter)]
    };

    /// <param name="parameter">The search parameter at fault, named in the issue's expression.</param>
    public static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueType code, string diagnostics, string? parameter = null)
    {
        var issue = new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = diagnostics };
        if (parameter is not null) issue.Expression = [parameter];
        return issue;
    }
}
