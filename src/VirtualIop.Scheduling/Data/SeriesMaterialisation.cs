using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>A series with what materialising it needs to know about its cohort and program.</summary>
public sealed class SeriesRow
{
    public Guid ClinicId { get; set; }
    public Guid Id { get; set; }
    public Guid CohortId { get; set; }
    public Guid ProgramId { get; set; }
    public Guid FacilitatorClinicianId { get; set; }
    public string Rrule { get; set; } = "";
    public DateTime FirstStartLocal { get; set; }
    public int DurationMinutes { get; set; }
    public string TimeZone { get; set; } = "";
    public DateTimeOffset MaterialisedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EndsBefore { get; set; }

    public SeriesRule Rule => new(Rrule, DateTime.SpecifyKind(FirstStartLocal, DateTimeKind.Unspecified), DurationMinutes, TimeZone);
}

/// <summary>
/// Turns a series' occurrences in a window into session rows, their rosters and one SessionScheduled each, inside the
/// caller's transaction: one insert for the sessions, one for the participants, one for the outbox rows. A patient with a
/// planned frequency joins only the occurrences it chooses.
/// The caller holds the cohort row lock, so the roster cannot change underneath.
/// </summary>
public sealed class SeriesMaterialisation(Outbox outbox, TimeProvider clock)
{
    public async Task<int> Materialise(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, SeriesRow series,
        DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var occurrences = series.Rule.OccurrencesBetween(from, series.EndsBefore is { } end && end < until ? end : until);
        if (occurrences.Count > 0)
        {
            var topics = await TopicRows.ForProgram(conn, tx, clinicId, series.ProgramId, ct);
            var taught = occurrences.Select(o => (Occurrence: o, Topic: Curriculum.TopicFor(o.Index, topics))).ToList();

            var created = (await conn.QueryAsync<SessionRows.Row>(new CommandDefinition("""
                insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, created_at,
                                     program_id, cohort_id, topic_id, clinician_id, series_id, occurrence_index)
                select @Clinic, o.id, o.kind, o.starts_at, o.ends_at, @TimeZone, @Now,
                       @Program, @Cohort, o.topic_id, @Clinician, @Series, o.occurrence_index
                from unnest(@Ids, @Kinds, @Starts, @Ends, @TopicIds, @Indexes) as o(id, kind, starts_at, ends_at, topic_id, occurrence_index)
                on conflict (clinic_id, series_id, occurrence_index) where series_id is not null do nothing
                returning id, kind, starts_at, ends_at, topic_id, version
                """,
                new
                {
                    Clinic = clinicId, series.TimeZone, Now = now, Program = series.ProgramId, Cohort = series.CohortId,
                    Clinician = series.FacilitatorClinicianId, Series = series.Id,
                    Ids = taught.Select(_ => Guid.CreateVersion7(now)).ToArray(),
                    Kinds = taught.Select(t => t.Topic.Kind.Name()).ToArray(),
                    Starts = taught.Select(t => t.Occurrence.StartsAt).ToArray(),
                    Ends = taught.Select(t => t.Occurrence.EndsAt).ToArray(),
                    TopicIds = taught.Select(t => t.Topic.Id).ToArray(),
                    Indexes = taught.Select(t => t.Occurrence.Index).ToArray()
                }, tx, cancellationToken: ct))).ToList();

            var roster = (await conn.QueryAsync<Guid>(new CommandDefinition("""
                select patient_id from enrolment where clinic_id = @Clinic and cohort_id = @Cohort and ended_at is null order by enrolled_at, id
                """, new { Clinic = clinicId, Cohort = series.CohortId }, tx, cancellationToken: ct))).ToArray();
            var rosters = await Rosters(conn, tx, clinicId, series.CohortId, created, roster, now, ct);
            var seats = rosters.SelectMany(r => r.Value.Select((patient, i) => (Session: r.Key, Patient: patient, Position: i + 1))).ToList();
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into session_participant (clinic_id, session_id, patient_id, position)
                select @Clinic, p.session_id, p.patient_id, p.position
                from unnest(@Sessions, @Patients, @Positions) as p(session_id, patient_id, position)
                """, new
                {
                    Clinic = clinicId, Sessions = seats.Select(s => s.Session).ToArray(), Patients = seats.Select(s => s.Patient).ToArray(),
                    Positions = seats.Select(s => s.Position).ToArray()
                }, tx, cancellationToken: ct));

            await outbox.AddRange(conn, tx, created.Select(IIntegrationEvent (c) => new SessionScheduled(Guid.CreateVersion7(now), clinicId, c.Id,
                c.Kind, c.StartsAt, c.EndsAt, series.TimeZone, rosters[c.Id], series.ProgramId, series.CohortId, c.TopicId,
                series.FacilitatorClinicianId, c.Version)).ToList(), ct);
        }

        await conn.ExecuteAsync(new CommandDefinition("""
            update series set materialised_until = greatest(materialised_until, @Until) where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinicId, series.Id, Until = until }, tx, cancellationToken: ct));
        return occurrences.Count;
    }

    /// <summary>
    /// Each new session's roster: the cohort's, in enrolment order, less the patients whose planned frequency leaves that
    /// occurrence out (<see cref="WeeklyParticipation"/>, counted over the whole week, occurrences materialised earlier included).
    /// </summary>
    static async Task<Dictionary<Guid, Guid[]>> Rosters(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId,
        IReadOnlyList<SessionRows.Row> created, Guid[] roster, DateTimeOffset now, CancellationToken ct)
    {
        if (created.Count == 0) return [];
        var leftOut = await PlanParticipation.LeftOut(conn, tx, clinicId, cohortId, roster, created.Min(c => c.StartsAt), now, ct);
        return created.ToDictionary(c => c.Id,
            c => roster.Where(patient => !leftOut.TryGetValue(patient, out var sessions) || !sessions.Contains(c.Id)).ToArray());
    }
}
