namespace VirtualIop.Scheduling.Domain.Fhir;

/// <summary>
/// Where one patient's place in one session stands, from Scheduling's rows and Attendance's outcome: the facts an
/// Appointment's status is read from. Stored nowhere; the FHIR reads compute it in SQL so that a status search pages
/// by keyset like any other.
/// </summary>
public enum AppointmentState
{
    /// <summary>On the session, nothing decided yet.</summary>
    Scheduled,
    /// <summary>Waiting for a seat in a full session (a makeup).</summary>
    Waitlisted,
    /// <summary>The session was cancelled.</summary>
    Cancelled,
    Attended,
    NoShow,
    ExcusedAbsence,
    UnexcusedAbsence
}

public static class AppointmentStates
{
    public static string Name(this AppointmentState state) => BuildingBlocks.Http.WireName.Of(state);

    public static AppointmentState Parse(string name) => Enum.Parse<AppointmentState>(name, ignoreCase: true);
}
