using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>A makeup offered a seat in an extra group when the group was opened.</summary>
public sealed record InvitedMakeup(Guid MakeupId, Guid PatientId);

/// <summary>A proposed extra group: a topic, how many patients it would serve, the first miss, and a free slot with a facilitator (null when none is free).</summary>
public sealed record SuggestedExtraGroup(Guid TopicId, string TopicTitle, int PatientCount, DateTimeOffset FirstMissedAt, Slot? SuggestedSlot);

/// <summary>An extra makeup group: its session, its topic, facilitator and seats, and the makeups invited to it.</summary>
public sealed record ExtraGroup(
    Guid SessionId, Guid ProgramId, Guid TopicId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, Guid FacilitatorClinicianId,
    int Capacity, IReadOnlyList<InvitedMakeup> Invited);

/// <summary>
/// Extra makeup groups: a coordinator opens a makeup session for one topic of a program, with its own seats, and every
/// patient whose makeup for a missed session of that topic is still open for a seat elsewhere is invited (MakeupOffered
/// again). Patients take a seat, or a waitlist place once it is full, through <see cref="Waitlists"/>, as in another
/// cohort's session.
/// </summary>
public sealed class ExtraGroups(NpgsqlDataSource db, Outbox outbox, TimeProvider clock, PatientAudit audit)
{
    /// <summary>
    /// Opens the group and invites in one transaction: the session (kind makeup, marked extra group) with SessionScheduled,
    /// and MakeupOffered, its version bumped, for each makeup open for a seat elsewhere whose missed session of the topic
    /// came before the group and whose offer outlasts the group's start.
    /// </summary>
    /// <returns>(null, null) when the program does not exist for this clinic; the rule broken otherwise (nothing written).</returns>
    public async Task<(ExtraGroup? Group, FieldError? Error)> Open(Guid clinicId, Guid programId, NewExtraGroup group, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var program = await conn.QuerySingleOrDefaultAsync<ProgramRow>(new CommandDefinition("""
            select exists (select 1 from program_topic t where t.clinic_id = p.clinic_id and t.program_id = p.id and t.id = @Topic) as has_topic,
                   exists (select 1 from cohort c where c.clinic_id = p.clinic_id and c.program_id = p.id and c.facilitator_clinician_id = @Facilitator)
                       as facilitates,
                   exists (select 1 from session s
                           where s.clinic_id = p.clinic_id and s.clinician_id = @Facilitator and s.status = 'scheduled'
                             and s.starts_at < @EndsAt and s.ends_at > @StartsAt) as facilitator_busy
            from program p where p.clinic_id = @Clinic and p.id = @Program
            """, new { Clinic = clinicId, Program = programId, Topic = group.TopicId, Facilitator = group.FacilitatorClinicianId, group.StartsAt, group.EndsAt },
            tx, cancellationToken: ct));
        if (program is null) return (null, null);
        if (!program.HasTopic) return (null, new FieldError("topicId", "The topic is not part of this program's curriculum."));
        if (!program.Facilitates) return (null, new FieldError("facilitatorClinicianId", "The facilitator must facilitate a cohort of this program."));
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, programId, ct);
        if (group.StartsAt >= now.AddDays(settings.SearchWindowDays))
            return (null, new FieldError("startsAt", $"An extra group must start within the program's makeup search window of {settings.SearchWindowDays} days."));
        if (await Availabilities.Find(conn, tx, clinicId, group.FacilitatorClinicianId, ct) is { } hours && !hours.Covers(group.StartsAt, group.EndsAt))
            return (null, new FieldError("startsAt", "The group is outside the facilitator's working hours or during their time off."));
        if (program.FacilitatorBusy) return (null, new FieldError("startsAt", "The facilitator already has a session at that time."));

        var sessionId = Guid.CreateVersion7(now);
        var args = new
        {
            Clinic = clinicId, Id = sessionId, Kind = SessionKind.Makeup.Name(), group.StartsAt, group.EndsAt, group.TimeZone, Now = now,
            Clinician = group.FacilitatorClinicianId, Program = programId, Topic = group.TopicId, group.Capacity,
            SeatKind = MakeupKind.ExtraGroupSlot.Name()
        };
        var sessionVersion = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, created_at, clinician_id, program_id, topic_id, extra_group, capacity)
            values (@Clinic, @Id, @Kind, @StartsAt, @EndsAt, @TimeZone, @Now, @Clinician, @Program, @Topic, true, @Capacity)
            returning version
            """, args, tx, cancellationToken: ct));
        var invited = (await conn.QueryAsync<MakeupRows.Changed>(new CommandDefinition("""
            update makeup m set version = m.version + 1
            from session missed
            where m.clinic_id = @Clinic and m.program_id = @Program and m.status = 'offered' and m.expires_at > @StartsAt
              and @SeatKind = any(m.offered_kinds)
              and missed.clinic_id = m.clinic_id and missed.id = m.missed_session_id and missed.topic_id = @Topic and missed.starts_at < @StartsAt
            returning m.id, m.missed_session_id, m.patient_id, m.status, m.offered_kinds, m.expires_at, m.version
            """, args, tx, cancellationToken: ct))).OrderBy(m => m.Id).ToList();

        await outbox.AddRange(conn, tx,
        [
            new SessionScheduled(Guid.CreateVersion7(now), clinicId, sessionId, SessionKind.Makeup.Name(), group.StartsAt, group.EndsAt, group.TimeZone, [],
                programId, null, group.TopicId, group.FacilitatorClinicianId, sessionVersion),
            .. invited.Select(IIntegrationEvent (m) => new MakeupOffered(Guid.CreateVersion7(now), clinicId, m.Id, m.MissedSessionId, m.PatientId,
                m.OfferedKinds, m.ExpiresAt, OfferedAt: now, Version: m.Version))
        ], ct);
        await audit.Change(conn, tx, invited.Select(m => m.PatientId).ToList(), ct);
        await tx.CommitAsync(ct);
        return (new ExtraGroup(sessionId, programId, group.TopicId, group.StartsAt, group.EndsAt, group.TimeZone, group.FacilitatorClinicianId,
            group.Capacity, invited.Select(m => new InvitedMakeup(m.Id, m.PatientId)).ToList()), null);
    }

    /// <summary>
    /// One page of the topics of the program that enough patients missed to propose an extra group (Domain:
    /// <see cref="ExtraGroupRule"/>), first miss first, each with the next free slot of one of the program's facilitators
    /// who recorded working hours, clear of every patient's sessions, after the last miss and within the search window.
    /// A makeup an upcoming extra group of its topic already serves does not count.
    /// </summary>
    /// <returns>null when the program does not exist for this clinic.</returns>
    public async Task<(IReadOnlyList<SuggestedExtraGroup> Proposals, string? NextCursor)?> Proposals(Guid clinicId, Guid programId, int threshold,
        TimeSpan window, PageRequest page, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists (select 1 from program where clinic_id = @Clinic and id = @Program)
                """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct)))
            return null;
        var topics = (await conn.QueryAsync<(Guid Id, string Title)>(new CommandDefinition("""
            select id, title from program_topic where clinic_id = @Clinic and program_id = @Program
            """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct))).ToDictionary(t => t.Id, t => t.Title);

        var open = await conn.QueryAsync<OpenRow>(new CommandDefinition("""
            select missed.topic_id, m.patient_id, missed.starts_at as missed_at, missed.ends_at - missed.starts_at as missed_length
            from makeup m join session missed on missed.clinic_id = m.clinic_id and missed.id = m.missed_session_id
            where m.clinic_id = @Clinic and m.program_id = @Program and m.status = 'offered' and m.expires_at > @Now
              and @SeatKind = any(m.offered_kinds) and missed.topic_id is not null and missed.starts_at >= @Since
              and not exists (select 1 from session g
                              where g.clinic_id = m.clinic_id and g.extra_group and g.program_id = m.program_id and g.topic_id = missed.topic_id
                                and g.status = 'scheduled' and g.starts_at > @Now and g.starts_at < m.expires_at)
            """, new { Clinic = clinicId, Program = programId, Now = now, Since = now - window, SeatKind = MakeupKind.ExtraGroupSlot.Name() },
            tx, cancellationToken: ct));
        var needs = ExtraGroupRule.Needs(open.Select(o => new OpenTopicMakeup(o.TopicId, o.PatientId, o.MissedAt, o.MissedLength)), threshold, window, now)
            .Where(n => page.AfterStartsAt is not { } after || (n.FirstMissedAt, n.TopicId).CompareTo((after, page.AfterId!.Value)) > 0)
            .Take(page.Take).ToList();
        var (kept, nextCursor) = page.Cut(needs, n => (n.FirstMissedAt, n.TopicId));

        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, programId, ct);
        var until = now.AddDays(settings.SearchWindowDays);
        var facilitators = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select facilitator_clinician_id from cohort where clinic_id = @Clinic and program_id = @Program
            group by facilitator_clinician_id order by min(created_at)
            """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct))).ToList();
        var patients = kept.SelectMany(n => n.PatientIds).Distinct().ToArray();
        var busy = await FreeTime.Busy(conn, tx, clinicId, facilitators, patients, now, until, ct);
        var candidates = await FreeTime.Candidates(conn, tx, clinicId, facilitators, busy, ct);
        var proposals = kept.Select(need =>
        {
            var from = Max(now + Makeups.MinimumLead, need.LastMissedEnd);
            var patientBusy = need.PatientIds.SelectMany(p => busy[p]).ToList();
            var slot = SlotFinder.NextFree(candidates, null, patientBusy, from, until, need.Length, 1).FirstOrDefault();
            return new SuggestedExtraGroup(need.TopicId, topics.GetValueOrDefault(need.TopicId, ""), need.PatientCount, need.FirstMissedAt, slot);
        }).ToList();
        await audit.Read(conn, tx, patients, ct);
        await tx.CommitAsync(ct);
        return (proposals, nextCursor);
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    sealed class OpenRow
    {
        public Guid TopicId { get; set; }
        public Guid PatientId { get; set; }
        public DateTimeOffset MissedAt { get; set; }
        public TimeSpan MissedLength { get; set; }
    }

    sealed class ProgramRow
    {
        public bool HasTopic { get; set; }
        public bool Facilitates { get; set; }
        public bool FacilitatorBusy { get; set; }
    }
}
