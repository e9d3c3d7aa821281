using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>How a program's curriculum is read, shared by the program reads and the series materialisation.</summary>
static class TopicRows
{
    /// <summary>The program's topics in curriculum order.</summary>
    public static async Task<IReadOnlyList<Topic>> ForProgram(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid programId,
        CancellationToken ct) =>
        (await conn.QueryAsync<Row>(new CommandDefinition("""
            select id, position, title, kind from program_topic where clinic_id = @Clinic and program_id = @Program order by position
            """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct)))
        .Select(t => new Topic(t.Id, t.Position, t.Title, SessionKinds.Parse(t.Kind))).ToList();

    sealed class Row
    {
        public Guid Id { get; set; }
        public int Position { get; set; }
        public string Title { get; set; } = "";
        public string Kind { get; set; } = "";
    }
}
