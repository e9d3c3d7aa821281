using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record ContinuityItemView(ContinuityItemKind Kind, DateTimeOffset? OpenedAt, DateTimeOffset? DoneAt);

public sealed record ContinuityPackageView(
    Guid Id,
    Guid PatientId,
    Guid SessionId,
    ContinuityCause Cause,
    ContinuityPackageStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AssignedAt,
    DateTimeOffset? AddressedAt,
    CatchUpResolution? AddressedHow,
    string? WaiverReason,
    SessionContentView? Content,
    IReadOnlyList<ContinuityItemView> Items);

/// <summary>A patient's missed content: catch-up is required while any package is not addressed.</summary>
public sealed record PatientContinuityView(Guid PatientId, bool CatchUpRequired, IReadOnlyList<ContinuityPackageView> Packages);

public enum WaiverOutcome
{
    Waived,
    NotFound,
    AlreadyAddressed
}

public sealed class ContinuityPackages(NpgsqlDataSource db, Inbox inbox, Outbox outbox, PatientAudit audit, TimeProvider clock)
{
    const string PackageColumns = """
        p.id, p.patient_id, p.session_id, p.cause, p.created_at, p.assigned_at, p.addressed_at, p.addressed_how, p.waiver_reason,
        c.session_id as content_session_id, c.topic_id, c.key_points, c.homework_title, c.homework_instructions,
        c.homework_due_on, c.recording_url, c.peer_support_url, c.item_kinds, c.recorded_at
        """;

    /// <summary>A no-show the patient's session or outcome already rules out opens nothing (Domain: MissEffects).</summary>
    public Task<bool> OpenForMiss(SessionMissed missed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(missed, inboxKey, async (conn, tx) =>
        {
            if (await MissContexts.Warranted(conn, tx, missed, ct))
                await Open(conn, tx, missed.ClinicId, missed.PatientId, missed.SessionId, ContinuityCause.SessionMissed, ct);
        }, ct);

    /// <summary>
    /// A notified absence opens the package too: the patient will miss the content all the same. It is assigned once
    /// the facilitator records the content, which happens after the session has ended.
    /// </summary>
    public Task<bool> OpenForNotice(AbsenceNotified notice, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(notice, inboxKey, (conn, tx) =>
            Open(conn, tx, notice.ClinicId, notice.PatientId, notice.SessionId, ContinuityCause.AbsenceNotified, ct), ct);

    /// <summary>
    /// A completed makeup addresses the missed session's content. A makeup for a session with no package (a miss this
    /// service never heard of) changes nothing.
    /// </summary>
    public Task<bool> ClearByMakeup(MakeupCompleted makeup, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(makeup, inboxKey, async (conn, tx) =>
        {
            var addressed = await conn.QueryAsync<Guid>(new CommandDefinition("""
                update continuity_package set addressed_at = @CompletedAt, addressed_how = 'madeUp', addressed_by = 'makeup'
                where clinic_id = @ClinicId and patient_id = @PatientId and session_id = @MissedSessionId and addressed_at is null
                returning id
                """, new { makeup.ClinicId, makeup.PatientId, makeup.MissedSessionId, makeup.CompletedAt }, tx, cancellationToken: ct));
            await AnnounceAddressed(conn, tx, makeup.ClinicId, makeup.PatientId, makeup.MissedSessionId, addressed, CatchUpResolution.MadeUp,
                makeup.CompletedAt, ct);
        }, ct);

    /// <summary>
    /// A clinician corrected the patient's outcome of a missed session. A correction that takes the miss back (Domain:
    /// AttendanceCorrected.UndoesMiss) addresses the session's catch-up package, if not addressed yet, as "corrected". The
    /// correction is kept (<see cref="MissCorrections"/>), so a no-show that arrives after it opens nothing while it stands.
    /// </summary>
    public Task<bool> CloseForCorrection(AttendanceCorrected corrected, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(corrected, inboxKey, async (conn, tx) =>
        {
            if (!await MissCorrections.Record(conn, tx, corrected, ct)) return;
            var now = clock.GetUtcNow();
            var addressed = await conn.QueryAsync<Guid>(new CommandDefinition("""
                update continuity_package set addressed_at = @Now, addressed_how = @How, addressed_by = 'attendanceCorrection'
                where clinic_id = @Clinic and patient_id = @Patient and session_id = @Session and addressed_at is null
                returning id
                """, new
            {
                Clinic = corrected.ClinicId, Patient = corrected.PatientId, Session = corrected.SessionId, How = WireName.Of(CatchUpResolution.Corrected),
                Now = now
            }, tx, cancellationToken: ct));
            await AnnounceAddressed(conn, tx, corrected.ClinicId, corrected.PatientId, corrected.SessionId, addressed, CatchUpResolution.Corrected, now, ct);
        }, ct);

    /// <summary>Tells the services around that the packages are addressed (Notification drops what it still had to send about them).</summary>
    Task AnnounceAddressed(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, Guid session, IEnumerable<Guid> packages,
        CatchUpResolution how, DateTimeOffset at, CancellationToken ct) =>
        outbox.AddRange(conn, tx, packages
            .Select(id => (IIntegrationEvent)new ContinuityPackageAddressed(Guid.CreateVersion7(), clinic, id, patient, session, WireName.Of(how), at))
            .ToList(), ct);

    async Task Open(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, Guid session, ContinuityCause cause, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Assigned at once when the content already exists; otherwise SessionContents.Record assigns it later.
        var package = await conn.QuerySingleOrDefaultAsync<OpenedRow>(new CommandDefinition("""
            with opened as (
                insert into continuity_package (id, clinic_id, patient_id, session_id, cause, created_at, assigned_at)
                select @Id, @Clinic, @Patient, @Session, @Cause, @Now,
                       (select @Now from session_content c where c.clinic_id = @Clinic and c.session_id = @Session)
                on conflict do nothing
                returning id, assigned_at
            ), items as (
                insert into continuity_item (package_id, kind)
                select o.id, k.kind
                from opened o
                join session_content c on c.clinic_id = @Clinic and c.session_id = @Session
                cross join unnest(c.item_kinds) as k(kind)
            )
            select o.id, o.assigned_at, case when c.homework_title is not null then c.homework_due_on end as homework_due_on
            from opened o
            left join session_content c on c.clinic_id = @Clinic and c.session_id = @Session
            """,
            new { Id = Guid.CreateVersion7(), Clinic = clinic, Patient = patient, Session = session, Cause = WireName.Of(cause), Now = now },
            tx, cancellationToken: ct));
        if (package is { AssignedAt: not null })
            await outbox.Add(conn, tx, new ContinuityAssigned(Guid.CreateVersion7(), clinic, package.Id, patient, session, now,
                package.HomeworkDueOn is { } due ? DateOnly.FromDateTime(due) : null), ct);
    }

    public async Task<PatientContinuityView> ForPatient(ClinicContext clinic, Guid patientId, bool outstandingOnly, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var packages = await Load(conn, clinic.ClinicId, patientId, null, outstandingOnly, ct);
        var catchUp = outstandingOnly
            ? packages.Count > 0
            : packages.Any(p => p.Status != ContinuityPackageStatus.Addressed);
        await audit.Read(conn, [patientId], ct);
        return new PatientContinuityView(patientId, catchUp, packages);
    }

    /// <summary>
    /// Records that the patient opened, or finished, one item of a package; when the last item is done the package
    /// is addressed ("completed"). Null when the package is not this patient's, not assigned yet, or lacks the item.
    /// </summary>
    public async Task<ContinuityPackageView?> ReportItem(ClinicContext clinic, Guid patientId, Guid packageId, ContinuityItemKind kind, bool done, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var newlyDone = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
            with target as (
                select i.package_id, i.kind, i.done_at as done_before
                from continuity_item i
                join continuity_package p on p.id = i.package_id
                where p.id = @Package and p.clinic_id = @Clinic and p.patient_id = @Patient and p.assigned_at is not null and i.kind = @Kind
                for update of i
            ), changed as (
                update continuity_item i
                set opened_at = coalesce(i.opened_at, @Now),
                    done_at = case when @Done then coalesce(i.done_at, @Now) else i.done_at end
                from target t
                where i.package_id = t.package_id and i.kind = t.kind
                returning i.done_at, t.done_before
            )
            select done_at is not null and done_before is null from changed
            """, new { Package = packageId, Clinic = clinic.ClinicId, Patient = patientId, Kind = WireName.Of(kind), Done = done, Now = now },
            tx, cancellationToken: ct));
        if (newlyDone is null) return null;
        var completed = await conn.ExecuteAsync(new CommandDefinition("""
            update continuity_package p set addressed_at = @Now, addressed_how = 'completed', addressed_by = @Client
            where p.id = @Package and p.addressed_at is null
              and not exists (select 1 from continuity_item i where i.package_id = p.id and i.done_at is null)
            """, new { Package = packageId, Client = clinic.ClientId, Now = now }, tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        var view = (await Load(conn, clinic.ClinicId, patientId, packageId, false, ct, tx)).Single();
        if (newlyDone.Value)
            await outbox.Add(conn, tx, new ContinuityItemCompleted(Guid.CreateVersion7(), clinic.ClinicId, packageId, patientId, view.SessionId,
                WireName.Of(kind), now), ct);
        if (completed > 0)
            await AnnounceAddressed(conn, tx, clinic.ClinicId, patientId, view.SessionId, [packageId], CatchUpResolution.Completed, now, ct);
        await tx.CommitAsync(ct);
        return view;
    }

    /// <summary>A clinician waives the catch-up for one package, with a reason; an addressed package stays as it was.</summary>
    public async Task<(WaiverOutcome Outcome, ContinuityPackageView? Package)> Waive(ClinicContext clinic, Guid patientId, Guid packageId, string reason, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var state = await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            with target as (
                select id, addressed_at from continuity_package
                where id = @Package and clinic_id = @Clinic and patient_id = @Patient
                for update
            ), waived as (
                update continuity_package p set addressed_at = @Now, addressed_how = 'waived', waiver_reason = @Reason, addressed_by = @Client
                from target t where p.id = t.id and t.addressed_at is null
                returning p.id
            )
            select case when exists (select 1 from waived) then 'waived' else 'addressed' end from target
            """, new { Package = packageId, Clinic = clinic.ClinicId, Patient = patientId, Reason = reason, Client = clinic.ClientId, Now = clock.GetUtcNow() },
            tx, cancellationToken: ct));
        if (state is null) return (WaiverOutcome.NotFound, null);
        await audit.Change(conn, tx, [patientId], ct);
        var view = (await Load(conn, clinic.ClinicId, patientId, packageId, false, ct, tx)).Single();
        if (state == "waived")
            await AnnounceAddressed(conn, tx, clinic.ClinicId, patientId, view.SessionId, [packageId], CatchUpResolution.Waived, view.AddressedAt!.Value, ct);
        await tx.CommitAsync(ct);
        return (state == "waived" ? WaiverOutcome.Waived : WaiverOutcome.AlreadyAddressed, view);
    }

    static async Task<IReadOnlyList<ContinuityPackageView>> Load(
        NpgsqlConnection conn, Guid clinic, Guid patientId, Guid? packageId, bool outstandingOnly, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        var args = new { Clinic = clinic, Patient = patientId, Package = packageId, Outstanding = outstandingOnly };
        var rows = (await conn.QueryAsync<PackageRow>(new CommandDefinition($"""
            select {PackageColumns}
            from continuity_package p
            left join session_content c on c.clinic_id = p.clinic_id and c.session_id = p.session_id
            where p.clinic_id = @Clinic and p.patient_id = @Patient
              and (@Package::uuid is null or p.id = @Package)
              and (not @Outstanding or p.addressed_at is null)
            order by p.created_at, p.id
            """, args, tx, cancellationToken: ct))).AsList();
        var items = (await conn.QueryAsync<ItemRow>(new CommandDefinition("""
            select i.package_id, i.kind, i.opened_at, i.done_at
            from continuity_item i
            join continuity_package p on p.id = i.package_id
            where p.clinic_id = @Clinic and p.patient_id = @Patient
              and (@Package::uuid is null or p.id = @Package)
              and (not @Outstanding or p.addressed_at is null)
            order by i.package_id, i.kind
            """, args, tx, cancellationToken: ct))).ToLookup(i => i.PackageId);
        return rows.Select(r => r.ToView(items[r.Id].Select(i => new ContinuityItemView(i.Kind, i.OpenedAt, i.DoneAt)).ToList())).ToList();
    }

    sealed record OpenedRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset? AssignedAt { get; init; }
        public DateTime? HomeworkDueOn { get; init; }
    }

    sealed record ItemRow
    {
        public Guid PackageId { get; init; }
        public ContinuityItemKind Kind { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateTimeOffset? DoneAt { get; init; }
    }

    sealed record PackageRow
    {
        public Guid Id { get; init; }
        public Guid PatientId { get; init; }
        public Guid SessionId { get; init; }
        public ContinuityCause Cause { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? AssignedAt { get; init; }
        public DateTimeOffset? AddressedAt { get; init; }
        public CatchUpResolution? AddressedHow { get; init; }
        public string? WaiverReason { get; init; }
        public Guid? ContentSessionId { get; init; }
        public Guid? TopicId { get; init; }
        public string[]? KeyPoints { get; init; }
        public string? HomeworkTitle { get; init; }
        public string? HomeworkInstructions { get; init; }
        public DateTime? HomeworkDueOn { get; init; }
        public string? RecordingUrl { get; init; }
        public string? PeerSupportUrl { get; init; }
        public string[]? ItemKinds { get; init; }
        public DateTimeOffset? RecordedAt { get; init; }

        public ContinuityPackageView ToView(IReadOnlyList<ContinuityItemView> items)
        {
            var content = AssignedAt is not null && ContentSessionId is { } session
                ? new SessionContentRow
                {
                    SessionId = session, TopicId = TopicId, KeyPoints = KeyPoints ?? [], HomeworkTitle = HomeworkTitle,
                    HomeworkInstructions = HomeworkInstructions, HomeworkDueOn = HomeworkDueOn, RecordingUrl = RecordingUrl,
                    PeerSupportUrl = PeerSupportUrl, ItemKinds = ItemKinds ?? [], RecordedAt = RecordedAt ?? default
                }.ToView()
                : null;
            return new ContinuityPackageView(Id, PatientId, SessionId, Cause, ContinuityPackageState.Of(AssignedAt, AddressedAt), CreatedAt,
                AssignedAt, AddressedAt, AddressedHow, WaiverReason, content, items);
        }
    }
}
