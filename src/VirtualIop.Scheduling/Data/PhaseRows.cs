using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>How a program's phases are read, shared by the program reads and the phase gate.</summary>
static class PhaseRows
{
    /// <summary>The program's phases in order, each with its topics in curriculum order; empty when it has none.</summary>
    public static async Task<IReadOnlyList<Phase>> ForProgram(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid programId,
        CancellationToken ct) =>
        (await conn.QueryAsync<Row>(new CommandDefinition("""
            select ph.position, ph.name,
                   array(select t.id from program_topic t
                         where t.clinic_id = ph.clinic_id and t.program_id = ph.program_id and t.phase = ph.position order by t.position) as topic_ids
            from program_phase ph where ph.clinic_id = @Clinic and ph.program_id = @Program order by ph.position
            """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct)))
        .Select(p => new Phase(p.Position, p.Name, p.TopicIds)).ToList();

    sealed class Row
    {
        public int Position { get; set; }
        public string Name { get; set; } = "";
        public Guid[] TopicIds { get; set; } = [];
    }
}
