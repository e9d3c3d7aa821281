namespace VirtualIop.Web.StaffConsole;

/// <summary>Where a patient of today's session stands for the clinician right now.</summary>
public enum PresenceNow
{
    /// <summary>In the session's room now.</summary>
    InNow,
    /// <summary>Gave notice of an absence (or was recorded absent with notice).</summary>
    Notified,
    /// <summary>The session has started, and the patient is not in, gave no notice, or was swept as a no-show.</summary>
    Missing,
    /// <summary>Was there and left (present, late or partial).</summary>
    Attended,
    /// <summary>The session has not started yet.</summary>
    Expected
}

public static class Today
{
    public static PresenceNow Classify(TodaySession session, TodayPatient patient, DateTimeOffset now)
    {
        if (patient.InNow) return PresenceNow.InNow;
        if (patient.Notified || patient.Outcome is "excusedAbsence") return PresenceNow.Notified;
        if (patient.Outcome is "present" or "late" or "partial") return PresenceNow.Attended;
        if (patient.Outcome is "noShow" or "unexcusedAbsence") return PresenceNow.Missing;
        return now >= session.StartsAt ? PresenceNow.Missing : PresenceNow.Expected;
    }

    /// <summary>How many of the session's patients are in each state, for the session's summary line.</summary>
    public static IReadOnlyDictionary<PresenceNow, int> Counts(TodaySession session, DateTimeOffset now) =>
        Enum.GetValues<PresenceNow>().ToDictionary(state => state, state => session.Patients.Count(p => Classify(session, p, now) == state));
}
