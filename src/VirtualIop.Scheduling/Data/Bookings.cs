using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

public sealed record Booking(Guid Id, Guid SessionId, Guid ClinicianId, Guid PatientId, SessionKind Kind,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone);

/// <summary>Which party an overlapping booking already holds; the database's exclusion constraint names it.</summary>
public enum BookingConflict
{
    ClinicianBusy,
    PatientBusy,
    ClinicianUnavailable
}

public static class BookingConstraints
{
    public const string ClinicianFree = "booking_clinician_free";
    public const string PatientFree = "booking_patient_free";

    /// <returns>The conflict an exclusion violation stands for, or null for any other error.</returns>
    public static BookingConflict? ConflictOf(PostgresException e) => e.SqlState != PostgresErrorCodes.ExclusionViolation ? null : e.ConstraintName switch
    {
        ClinicianFree => BookingConflict.ClinicianBusy,
        PatientFree => BookingConflict.PatientBusy,
        _ => null
    };
}

public sealed class Bookings(NpgsqlDataSource db, Outbox outbox, TimeProvider clock, PatientAudit audit)
{
    /// <summary>
    /// Books a one-on-one session: the session, its participant, the booking and SessionScheduled in one transaction.
    /// The exclusion constraints decide between concurrent bookings; the loser's transaction rolls back entirely.
    /// </summary>
    public async Task<(Booking? Booking, BookingConflict? Conflict)> Book(Guid clinicId, Guid clinicianId, NewSession session, CancellationToken ct) =>
        await ContentionRetry.Run(async attempt => await BookOnce(clinicId, clinicianId, session, attempt), ct);

    async Task<(Booking? Booking, BookingConflict? Conflict)> BookOnce(Guid clinicId, Guid clinicianId, NewSession session, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sessionId = Guid.CreateVersion7(now);
        var patientId = session.PatientIds.Single();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // A clinician whose clinic recorded availability is bookable only inside working hours and outside time off.
        if (await Availabilities.Find(conn, tx, clinicId, clinicianId, ct) is { } availability && !availability.Covers(session.StartsAt, session.EndsAt))
            return (null, BookingConflict.ClinicianUnavailable);
        long version;
        try
        {
            version = await Insert(conn, tx, clinicId, sessionId, clinicianId, session, now, programId: null, topicId: null, ct);
        }
        catch (PostgresException e) when (BookingConstraints.ConflictOf(e) is { } conflict)
        {
            return (null, conflict);
        }
        await outbox.Add(conn, tx, new SessionScheduled(Guid.CreateVersion7(now), clinicId, sessionId, session.Kind.Name(), session.StartsAt,
            session.EndsAt, session.TimeZone, [patientId], ClinicianId: clinicianId, Version: version), ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return (new Booking(sessionId, sessionId, clinicianId, patientId, session.Kind, session.StartsAt, session.EndsAt, session.TimeZone), null);
    }

    /// <summary>
    /// Inserts a one-on-one session, its one participant and its booking inside the caller's transaction. An overlap
    /// with the clinician's or the patient's bookings throws the exclusion violation that <see cref="BookingConstraints"/> reads.
    /// </summary>
    /// <returns>The new session's version.</returns>
    public static Task<long> Insert(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid clinicianId, NewSession session,
        DateTimeOffset now, Guid? programId, Guid? topicId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, created_at, clinician_id, program_id, topic_id)
            values (@Clinic, @Id, @Kind, @StartsAt, @EndsAt, @TimeZone, @Now, @Clinician, @Program, @Topic)
            returning version;
            insert into session_participant (clinic_id, session_id, patient_id, position) values (@Clinic, @Id, @Patient, 1);
            insert into booking (clinic_id, id, session_id, clinician_id, patient_id, during)
            values (@Clinic, @BookingId, @Id, @Clinician, @Patient, tstzrange(@StartsAt, @EndsAt));
            """,
            new
            {
                Clinic = clinicId, Id = sessionId, BookingId = Guid.CreateVersion7(now), Kind = session.Kind.Name(), session.StartsAt,
                session.EndsAt, session.TimeZone, Now = now, Clinician = clinicianId, Patient = session.PatientIds.Single(),
                Program = programId, Topic = topicId
            }, tx, cancellationToken: ct));
}
