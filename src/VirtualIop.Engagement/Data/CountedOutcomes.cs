namespace VirtualIop.Engagement.Data;

/// <summary>
/// The outcomes that count in scores and patterns: not those of a session Engagement knows was cancelled, nor of a
/// patient it knows was taken off the session (Data: PatientRoster), whichever arrived first.
/// </summary>
static class CountedOutcomes
{
    /// <summary>A boolean SQL expression over an attendance_outcome row aliased o.</summary>
    public const string Condition = """
        (not exists (select 1 from session_roster s where s.clinic_id = o.clinic_id and s.session_id = o.session_id and s.cancelled)
         and not exists (select 1 from session_member m
                         where m.clinic_id = o.clinic_id and m.session_id = o.session_id and m.patient_id = o.patient_id and not m.present))
        """;
}
