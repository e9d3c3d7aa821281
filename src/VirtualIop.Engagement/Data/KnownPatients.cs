namespace VirtualIop.Engagement.Data;

/// <summary>
/// A patient this clinic knows is one Engagement has heard of through an event (a session, an outcome, a package) or a
/// task: the SQL condition every write about a patient checks, so another clinic's patient answers 404.
/// </summary>
static class KnownPatients
{
    /// <summary>A boolean SQL expression over the parameters @Clinic and @Patient.</summary>
    public const string Condition = """
        (exists (select 1 from patient_roster where clinic_id = @Clinic and patient_id = @Patient)
         or exists (select 1 from attendance_outcome where clinic_id = @Clinic and patient_id = @Patient)
         or exists (select 1 from follow_up_task where clinic_id = @Clinic and patient_id = @Patient)
         or exists (select 1 from continuity_package where clinic_id = @Clinic and patient_id = @Patient))
        """;
}
