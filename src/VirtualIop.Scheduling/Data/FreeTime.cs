using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>
/// What the slot finder needs from the database: the scheduled sessions that keep clinicians and patients busy, and the
/// clinicians who recorded working hours. One-on-one makeups, follow-ups and extra-group proposals share it.
/// </summary>
internal static class FreeTime
{
    /// <summary>Every scheduled session between <paramref name="from"/> and <paramref name="until"/> of each clinician (as facilitator) and each patient (as participant), by their id.</summary>
    public static async Task<ILookup<Guid, TimeOff>> Busy(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, IReadOnlyList<Guid> clinicians,
        IReadOnlyList<Guid> patients, DateTimeOffset from, DateTimeOffset until, CancellationToken ct) =>
        (await conn.QueryAsync<BusyRow>(new CommandDefinition("""
            select s.clinician_id as owner, s.starts_at, s.ends_at from session s
            where s.clinic_id = @Clinic and s.clinician_id = any(@Clinicians) and s.status = 'scheduled' and s.starts_at < @Until and s.ends_at > @From
            union all
            select p.patient_id, s.starts_at, s.ends_at from session s
            join session_participant p on p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = any(@Patients)
            where s.clinic_id = @Clinic and s.status = 'scheduled' and s.starts_at < @Until and s.ends_at > @From
            """, new { Clinic = clinicId, Clinicians = clinicians.ToArray(), Patients = patients.ToArray(), From = from, Until = until }, tx,
            cancellationToken: ct))).ToLookup(b => b.Owner, b => new TimeOff(b.StartsAt, b.EndsAt));

    /// <summary><paramref name="clinicians"/> who recorded working hours, in the order given, each with their busy times.</summary>
    public static async Task<List<CandidateClinician>> Candidates(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId,
        IReadOnlyList<Guid> clinicians, ILookup<Guid, TimeOff> busy, CancellationToken ct)
    {
        var candidates = new List<CandidateClinician>();
        foreach (var clinician in clinicians)
        {
            if (await Availabilities.Find(conn, tx, clinicId, clinician, ct) is { } hours)
                candidates.Add(new CandidateClinician(clinician, hours, busy[clinician].ToList()));
        }
        return candidates;
    }

    sealed class BusyRow
    {
        public Guid Owner { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
    }
}
