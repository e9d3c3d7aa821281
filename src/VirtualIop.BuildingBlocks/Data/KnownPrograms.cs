using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.BuildingBlocks.Data;

/// <summary>
/// A service's copy of the clinic's programs (its own <c>programs</c> table), learnt from ProgramCreated and from every
/// SessionScheduled that names one, so that whichever arrives first the program is known once. A service writes a
/// program's settings only for a program it knows, and answers 404 for any other.
/// </summary>
public sealed class KnownPrograms(Inbox inbox, TimeProvider clock)
{
    /// <summary>True when the program named by @Clinic and @Program is known; used inside the statements that read and write settings.</summary>
    public const string IsKnown = "exists (select 1 from programs where clinic_id = @Clinic and program_id = @Program)";

    /// <returns>false when this event had already been taken in.</returns>
    public Task<bool> RecordCreated(ProgramCreated created, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(created, inboxKey, (conn, tx) => Learn(conn, tx, created.ClinicId, created.ProgramId, clock.GetUtcNow(), ct), ct);

    /// <summary>Knows the program from now on (nothing for a session outside a program), in the caller's transaction.</summary>
    public static Task Learn(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid? programId, DateTimeOffset now, CancellationToken ct) =>
        programId is not { } program
            ? Task.CompletedTask
            : conn.ExecuteAsync(new CommandDefinition("""
                insert into programs (clinic_id, program_id, known_at) values (@Clinic, @Program, @Now) on conflict do nothing
                """, new { Clinic = clinicId, Program = program, Now = now }, tx, cancellationToken: ct));
}
