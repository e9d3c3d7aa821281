using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>
/// Engagement opened a motivational-interviewing follow-up: book it as an individual session with the facilitator of
/// the patient's cohort, in their next free slot (the patient's preferred hours, both sides' sessions and the
/// facilitator's hours respected) within two weeks. Booked through the same exclusion constraints as any one-on-one: a
/// race makes the delivery fail and the bus's retry look again. No slot or no cohort: nothing is booked and the follow-up
/// stays with the clinician.
/// </summary>
public sealed class FollowUpBookings(Inbox inbox, Outbox outbox, TimeProvider clock, ILogger<FollowUpBookings> logger)
{
    public const string MotivationalInterviewing = "motivationalInterviewing";
    public static readonly TimeSpan SearchWindow = TimeSpan.FromDays(14);

    public Task<bool> Book(FollowUpTaskCreated task, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(task, consumer, async (conn, tx) =>
        {
            if (task.Kind != MotivationalInterviewing) return;
            var now = clock.GetUtcNow();
            var cohort = await conn.QuerySingleOrDefaultAsync<CohortRows.Row>(new CommandDefinition("""
                select c.facilitator_clinician_id, c.time_zone, c.program_id
                from enrolment e join cohort c on c.clinic_id = e.clinic_id and c.id = e.cohort_id
                where e.clinic_id = @Clinic and e.patient_id = @Patient and e.ended_at is null
                order by e.enrolled_at limit 1
                """, new { Clinic = task.ClinicId, Patient = task.PatientId }, tx, cancellationToken: ct));
            if (cohort is null)
            {
                logger.LogInformation("Follow-up {TaskId} of clinic {ClinicId} not booked: the patient is in no cohort", task.TaskId, task.ClinicId);
                return;
            }
            if (await BookWithFacilitator(conn, tx, task.ClinicId, task.PatientId, cohort, now + Makeups.MinimumLead, now + SearchWindow, ct) is null)
                logger.LogInformation("Follow-up {TaskId} of clinic {ClinicId} not booked: no free slot in {Days} days", task.TaskId, task.ClinicId,
                    SearchWindow.TotalDays);
        }, ct);

    /// <summary>
    /// Books an individual session with the cohort's facilitator in their first free slot between <paramref name="from"/>
    /// and <paramref name="until"/> (the program's one-on-one length), in the caller's transaction, with SessionScheduled
    /// in the outbox; the motivational interview and a plan's individual sessions are booked this one way.
    /// </summary>
    /// <returns>null when the facilitator has no free slot in the window (nothing written).</returns>
    internal async Task<BookedSlot?> BookWithFacilitator(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, CohortRows.Row cohort,
        DateTimeOffset from, DateTimeOffset until, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, cohort.ProgramId, ct);
        var slot = (await Makeups.FreeSlots(conn, tx, clinicId, [cohort.FacilitatorClinicianId], patientId, from, until,
            TimeSpan.FromMinutes(settings.OneOnOneMinutes), 1, ct)).FirstOrDefault();
        if (slot is null) return null;
        var sessionId = Guid.CreateVersion7(now);
        var session = new NewSession(SessionKind.IndividualTherapy, slot.StartsAt, slot.EndsAt, cohort.TimeZone, [patientId]);
        var version = await Bookings.Insert(conn, tx, clinicId, sessionId, slot.ClinicianId, session, now, cohort.ProgramId, null, ct);
        await outbox.Add(conn, tx, new SessionScheduled(Guid.CreateVersion7(now), clinicId, sessionId, SessionKind.IndividualTherapy.Name(),
            slot.StartsAt, slot.EndsAt, cohort.TimeZone, [patientId], cohort.ProgramId, null, null, slot.ClinicianId, version), ct);
        return new BookedSlot(sessionId, slot);
    }
}

/// <summary>An individual session booked in a free slot.</summary>
public sealed record BookedSlot(Guid SessionId, Slot Slot);
