using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

public sealed class Programs(NpgsqlDataSource db, Outbox outbox, TimeProvider clock)
{
    /// <summary>Stores the program, its phases, its curriculum and its ProgramCreated event in one transaction.</summary>
    public async Task<IopProgram> Create(Guid clinicId, NewProgram program, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into program (clinic_id, id, name, created_at) values (@Clinic, @Id, @Name, @Now)
            """, new { Clinic = clinicId, Id = id, program.Name, Now = now }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into program_phase (clinic_id, program_id, position, name)
            select @Clinic, @Id, p.position, p.name from unnest(@Positions, @Names) as p(position, name)
            """,
            new
            {
                Clinic = clinicId, Id = id,
                Positions = program.Phases.Select(p => p.Position).ToArray(), Names = program.Phases.Select(p => p.Name).ToArray()
            }, tx, cancellationToken: ct));
        var phaseOfTopic = program.Phases.SelectMany(p => p.TopicPositions.Select(t => (Topic: t, Phase: p.Position))).ToDictionary(x => x.Topic, x => x.Phase);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into program_topic (clinic_id, program_id, id, position, title, kind, phase)
            select @Clinic, @Id, t.id, t.position, t.title, t.kind, t.phase
            from unnest(@TopicIds, @Positions, @Titles, @Kinds, @Phases) as t(id, position, title, kind, phase)
            """,
            new
            {
                Clinic = clinicId, Id = id,
                TopicIds = program.Topics.Select(_ => Guid.CreateVersion7(now)).ToArray(),
                Positions = program.Topics.Select(t => t.Position).ToArray(),
                Titles = program.Topics.Select(t => t.Title).ToArray(),
                Kinds = program.Topics.Select(t => t.Kind.Name()).ToArray(),
                Phases = program.Topics.Select(t => phaseOfTopic.TryGetValue(t.Position, out var phase) ? phase : (int?)null).ToArray()
            }, tx, cancellationToken: ct));
        await outbox.Add(conn, tx, new ProgramCreated(Guid.CreateVersion7(now), clinicId, id, now), ct);
        await tx.CommitAsync(ct);
        return (await Find(clinicId, id, ct))!;
    }

    /// <returns>null when no such program exists for this clinic.</returns>
    public async Task<IopProgram?> Find(Guid clinicId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var program = await conn.QuerySingleOrDefaultAsync<ProgramRow>(new CommandDefinition("""
            select id, name, created_at from program where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinicId, Id = id }, cancellationToken: ct));
        if (program is null) return null;
        var topics = await TopicRows.ForProgram(conn, null, clinicId, id, ct);
        var phases = await PhaseRows.ForProgram(conn, null, clinicId, id, ct);
        return new IopProgram(program.Id, program.Name, topics, program.CreatedAt) { Phases = phases };
    }

    sealed class ProgramRow
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
    }
}
