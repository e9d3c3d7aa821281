using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record HomeworkView(string Title, string Instructions, DateOnly DueOn);

public sealed record SessionContentView(
    Guid SessionId,
    Guid? TopicId,
    IReadOnlyList<string> KeyPoints,
    HomeworkView? Homework,
    string? RecordingUrl,
    string? PeerSupportUrl,
    IReadOnlyList<ContinuityItemKind> Items,
    DateTimeOffset RecordedAt);

/// <summary>A session_content row; also the content columns of a package joined to its session's content.</summary>
public sealed record SessionContentRow
{
    public Guid SessionId { get; init; }
    public Guid? TopicId { get; init; }
    public string[] KeyPoints { get; init; } = [];
    public string? HomeworkTitle { get; init; }
    public string? HomeworkInstructions { get; init; }
    public DateTime? HomeworkDueOn { get; init; }
    public string? RecordingUrl { get; init; }
    public string? PeerSupportUrl { get; init; }
    public string[] ItemKinds { get; init; } = [];
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>The day the homework is due, when the content has homework.</summary>
    public DateOnly? HomeworkDue => HomeworkTitle is not null && HomeworkDueOn is { } due ? DateOnly.FromDateTime(due) : null;

    public SessionContentView ToView() => new(SessionId, TopicId, KeyPoints,
        HomeworkTitle is null ? null : new HomeworkView(HomeworkTitle, HomeworkInstructions ?? "", DateOnly.FromDateTime(HomeworkDueOn ?? default)),
        RecordingUrl, PeerSupportUrl,
        ItemKinds.Select(k => WireName.TryParse<ContinuityItemKind>(k, out var kind) ? kind : throw new InvalidDataException($"Unknown item kind {k}.")).ToList(),
        RecordedAt);
}

public sealed class SessionContents(NpgsqlDataSource db, Outbox outbox, TimeProvider clock)
{
    /// <summary>
    /// Records (or replaces) a session's content and, in the same transaction, assigns it to every patient whose
    /// package for the session was waiting for it: content recorded late reaches them as soon as it exists. Patients
    /// already assigned get any item the new version adds (a recording linked later, say).
    /// </summary>
    /// <returns>null, with nothing written, for a session the clinic's schedule has not told Engagement of.</returns>
    public async Task<SessionContentView?> Record(ClinicContext clinic, Guid sessionId, SessionContent content, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<SessionContentRow>(new CommandDefinition("""
            insert into session_content (clinic_id, session_id, topic_id, key_points, homework_title, homework_instructions,
                                         homework_due_on, recording_url, peer_support_url, item_kinds, recorded_by, recorded_at)
            select @Clinic, @SessionId, (select topic_id from session_roster where clinic_id = @Clinic and session_id = @SessionId), @KeyPoints, @HomeworkTitle, @HomeworkInstructions,
                   @HomeworkDueOn::date, @RecordingUrl, @PeerSupportUrl, @ItemKinds, @RecordedBy, @Now
            where exists (select 1 from session_roster where clinic_id = @Clinic and session_id = @SessionId)
            on conflict (clinic_id, session_id) do update set
                topic_id = excluded.topic_id, key_points = excluded.key_points, homework_title = excluded.homework_title,
                homework_instructions = excluded.homework_instructions, homework_due_on = excluded.homework_due_on,
                recording_url = excluded.recording_url, peer_support_url = excluded.peer_support_url,
                item_kinds = excluded.item_kinds, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
            returning session_id, topic_id, key_points, homework_title, homework_instructions, homework_due_on,
                      recording_url, peer_support_url, item_kinds, recorded_at
            """,
            new
            {
                Clinic = clinic.ClinicId,
                SessionId = sessionId,
                KeyPoints = content.KeyPoints.ToArray(),
                HomeworkTitle = content.Homework?.Title,
                HomeworkInstructions = content.Homework?.Instructions,
                HomeworkDueOn = content.Homework?.DueOn.ToString("yyyy-MM-dd"),
                RecordingUrl = content.RecordingUrl?.AbsoluteUri,
                PeerSupportUrl = content.PeerSupportUrl?.AbsoluteUri,
                ItemKinds = content.Items().Select(WireName.Of).ToArray(),
                RecordedBy = clinic.ClientId,
                Now = now
            }, tx, cancellationToken: ct));
        if (row is null) return null;

        var assigned = await conn.QueryAsync<(Guid Id, Guid PatientId)>(new CommandDefinition("""
            with assigned as (
                update continuity_package set assigned_at = @Now
                where clinic_id = @Clinic and session_id = @SessionId and assigned_at is null and addressed_at is null
                returning id, patient_id
            ), items as (
                insert into continuity_item (package_id, kind)
                select p.id, k.kind
                from continuity_package p
                cross join unnest(@ItemKinds) as k(kind)
                where p.clinic_id = @Clinic and p.session_id = @SessionId and p.addressed_at is null
                on conflict do nothing
            )
            select id, patient_id from assigned
            """, new { Clinic = clinic.ClinicId, SessionId = sessionId, row.ItemKinds, Now = now }, tx, cancellationToken: ct));
        await outbox.AddRange(conn, tx, assigned
            .Select(p => (IIntegrationEvent)new ContinuityAssigned(Guid.CreateVersion7(), clinic.ClinicId, p.Id, p.PatientId, sessionId, now, row.HomeworkDue))
            .ToList(), ct);
        await tx.CommitAsync(ct);
        return row.ToView();
    }

    public async Task<SessionContentView?> Find(ClinicContext clinic, Guid sessionId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<SessionContentRow>(new CommandDefinition("""
            select session_id, topic_id, key_points, homework_title, homework_instructions, homework_due_on,
                   recording_url, peer_support_url, item_kinds, recorded_at
            from session_content where clinic_id = @Clinic and session_id = @SessionId
            """, new { Clinic = clinic.ClinicId, SessionId = sessionId }, cancellationToken: ct));
        return row?.ToView();
    }
}
