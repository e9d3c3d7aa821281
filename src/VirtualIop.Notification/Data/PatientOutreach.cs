using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;
using VirtualIop.Notification.Messaging;

namespace VirtualIop.Notification.Data;

/// <summary>
/// Outreach on what happens around a patient's attendance: an absence acknowledged, technical help (and a help-desk
/// ticket), a supportive word near or past a policy limit with an alert to the clinician, a clinician alert on
/// rising risk, confirmations of a waitlist seat or a makeup, the makeups on offer after a miss (kept current as offers
/// are withdrawn, run out or open again), and word that a booked makeup can no longer go ahead. Each effect
/// runs through the inbox, so a redelivered event queues nothing twice; the messages go out through the dispatcher.
/// </summary>
public sealed class PatientOutreach(Inbox inbox, SessionCopy sessions, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string TechnicalDifficulty = "technicalDifficulty";

    /// <summary>
    /// An advance absence notice is acknowledged with the ways to catch up. One put down to technical difficulty gets
    /// the technical-support message instead (it acknowledges too, and gives the same link), and opens a help-desk
    /// ticket. A notice the patient gave by answering N to a reminder is not acknowledged again: the answer to the
    /// text already gave the makeup link.
    /// </summary>
    public Task<bool> AcknowledgeAbsence(AbsenceNotified notice, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(notice, inboxKey, async (conn, tx) =>
        {
            var declinedByText = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists (select 1 from session_reply
                               where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and reply = 'declined')
                """, new { notice.ClinicId, notice.SessionId, notice.PatientId }, tx, cancellationToken: ct));
            if (declinedByText) return;
            var technical = notice.ReasonCategory == TechnicalDifficulty;
            var now = clock.GetUtcNow();
            await Queue(conn, tx, new QueuedDelivery(notice.ClinicId, notice.PatientId, notice.SessionId,
                technical ? "technicalSupport" : "absenceAcknowledged", notice.SessionStartsAt, notice.TimeZone), now, ct);
            if (technical) await OpenHelpDeskTicket(conn, tx, notice.ClinicId, notice.PatientId, notice.SessionId, "absenceNotice", now, ct);
        }, ct);

    /// <summary>A clinician corrected an outcome and put it down to technical difficulty: the patient gets technical help, the help desk a ticket.</summary>
    public Task<bool> OfferTechnicalSupport(AttendanceCorrected corrected, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(corrected, inboxKey, async (conn, tx) =>
        {
            if (corrected.ReasonCategory != TechnicalDifficulty) return;
            var now = clock.GetUtcNow();
            var session = await conn.QuerySingleOrDefaultAsync<(DateTimeOffset StartsAt, string TimeZone)?>(new CommandDefinition("""
                select starts_at, time_zone from session where clinic_id = @ClinicId and id = @SessionId
                """, new { corrected.ClinicId, corrected.SessionId }, tx, cancellationToken: ct));
            await Queue(conn, tx, new QueuedDelivery(corrected.ClinicId, corrected.PatientId, corrected.SessionId, "technicalSupport",
                session?.StartsAt, session?.TimeZone), now, ct);
            await OpenHelpDeskTicket(conn, tx, corrected.ClinicId, corrected.PatientId, corrected.SessionId, "attendanceCorrection", now, ct);
        }, ct);

    /// <summary>
    /// The patient answered the reason question after an N with technical difficulty: technical help to them and a
    /// ticket to the help desk, in the caller's transaction (the answer's). The notice the N gave was not acknowledged
    /// (the answer to the N did that), so this is the technical-help path's only start for it.
    /// </summary>
    public async Task OfferTechnicalSupportAfterReply(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, Guid sessionId,
        DateTimeOffset now, CancellationToken ct)
    {
        var session = await conn.QuerySingleOrDefaultAsync<(DateTimeOffset StartsAt, string TimeZone)?>(new CommandDefinition("""
            select starts_at, time_zone from session where clinic_id = @ClinicId and id = @SessionId
            """, new { ClinicId = clinicId, SessionId = sessionId }, tx, cancellationToken: ct));
        await Queue(conn, tx, new QueuedDelivery(clinicId, patientId, sessionId, "technicalSupport", session?.StartsAt, session?.TimeZone), now, ct);
        await OpenHelpDeskTicket(conn, tx, clinicId, patientId, sessionId, "reasonReply", now, ct);
    }

    /// <summary>A patient one step from a policy limit: a supportive word to them, an alert to their clinician.</summary>
    public Task<bool> SupportNearLimit(AttendanceWarning warning, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(warning, inboxKey, (conn, tx) =>
            SupportAndAlert(conn, tx, warning.ClinicId, warning.PatientId, Topic("attendanceWarning", warning.Rule, warning.Current, warning.Limit), ct), ct);

    /// <summary>A patient past a policy limit: a supportive word to them (never the policy's wording), an alert to their clinician.</summary>
    public Task<bool> SupportAfterBreach(PolicyBreached breach, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(breach, inboxKey, (conn, tx) =>
            SupportAndAlert(conn, tx, breach.ClinicId, breach.PatientId, Topic("policyBreached", breach.Rule, breach.Current, breach.Limit), ct), ct);

    public Task<bool> AlertRisk(EngagementRiskRaised risk, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(risk, inboxKey, (conn, tx) =>
            AlertClinician(conn, tx, risk.ClinicId, risk.PatientId, $"engagementRisk:{risk.RiskLevel}:{string.Join(',', risk.Signals)}", clock.GetUtcNow(), ct), ct);

    /// <summary>
    /// A waitlisted patient took a seat. The seat counts as a report about the session's roster (at the version of the
    /// SessionParticipantAdded published with it), and the confirmation goes out only while the session is not known to be
    /// cancelled and no newer report removed the patient; a cancellation or removal heard of later withdraws it while pending.
    /// </summary>
    public Task<bool> ConfirmWaitlistPromotion(WaitlistPromoted promoted, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(promoted, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var held = await SessionCopy.Hold(conn, tx, promoted.ClinicId, promoted.SessionId, ct);
            await SessionCopy.ApplyMembership(conn, tx, promoted.ClinicId, promoted.SessionId, [promoted.PatientId], present: true, promoted.Version,
                SessionVersions.Supersedes, now, ct);
            await sessions.Reconcile(conn, tx, promoted.ClinicId, promoted.SessionId, now, ct);
            if (held is { Cancelled: true }) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), @ClinicId, @PatientId, @SessionId, 'waitlistPromoted', 'email', @StartsAt, @TimeZone, @Now, 'pending', @Now
                where exists (select 1 from session_participant
                              where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and removed_at is null)
                on conflict do nothing
                """, new { promoted.ClinicId, promoted.PatientId, promoted.SessionId, promoted.StartsAt, promoted.TimeZone, Now = now },
                tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// A makeup was booked; a recording has no session and no time, and its message says so. A booking into a session
    /// is kept, so the makeup being offered again later is known to mean that session was cancelled. A booking a newer
    /// report already overtook (the makeup offered again, withdrawn or run out) is out of date: nothing is kept or sent.
    /// </summary>
    public Task<bool> ConfirmMakeupBooking(MakeupBooked booked, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(booked, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var held = await HoldOffer(conn, tx, booked.ClinicId, booked.MakeupId, booked.MissedSessionId, booked.PatientId, now, ct);
            if (!MakeupOfferOrder.BookingIsCurrent(booked.Version, booked.BookedAt, held)) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                update makeup_offer set version = coalesce(@Version, version) where clinic_id = @ClinicId and makeup_id = @MakeupId
                """, new { booked.ClinicId, booked.MakeupId, booked.Version }, tx, cancellationToken: ct));
            if (booked is { SessionId: { } sessionId, StartsAt: { } startsAt })
                await conn.ExecuteAsync(new CommandDefinition("""
                    insert into makeup_booking (clinic_id, makeup_id, missed_session_id, patient_id, session_id, starts_at, time_zone, booked_at)
                    values (@ClinicId, @MakeupId, @MissedSessionId, @PatientId, @SessionId, @StartsAt, @TimeZone, @Now)
                    on conflict (clinic_id, makeup_id) do update
                        set session_id = excluded.session_id, starts_at = excluded.starts_at, time_zone = excluded.time_zone, booked_at = excluded.booked_at
                    """, new { booked.ClinicId, booked.MakeupId, booked.MissedSessionId, booked.PatientId, SessionId = sessionId, StartsAt = startsAt,
                    booked.TimeZone, Now = now }, tx, cancellationToken: ct));
            await Queue(conn, tx, new QueuedDelivery(booked.ClinicId, booked.PatientId, booked.SessionId ?? booked.MissedSessionId, "makeupBooked",
                booked.StartsAt, booked.TimeZone), now, ct);
        }, ct);

    /// <summary>
    /// Makeups were offered for a missed session. They are kept, and the "we missed you" message (or the absence
    /// acknowledgement) lists them when it is rendered. When that message has already gone out (or is going out
    /// right now), a short follow-up with the options is queued instead, so the offer always reaches the patient once.
    /// A makeup offered again after it was booked into a session means that session was cancelled: the patient gets
    /// one message saying the makeup can no longer go ahead and the options are open again, in place of the follow-up
    /// and of the session's generic cancellation notice (withdrawn here while pending, not queued when it comes later).
    /// An offer that a newer report already overtook (a withdrawal, expiry, booking or newer offer) is out of date:
    /// nothing is sent for it, and it only fills in what was offered when the row holds no newer offer. No follow-up
    /// is queued for a missed session known to be cancelled, nor for a miss a correction took back.
    /// </summary>
    public Task<bool> ShareMakeupOptions(MakeupOffered offer, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(offer, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var held = await HoldOffer(conn, tx, offer.ClinicId, offer.MakeupId, offer.MissedSessionId, offer.PatientId, now, ct);
            var current = MakeupOfferOrder.OfferIsCurrent(offer.Version, offer.OfferedAt, held);
            if (!current)
            {
                if (MakeupOfferOrder.OfferFactsAreNewer(offer.Version, held))
                    await conn.ExecuteAsync(new CommandDefinition("""
                        update makeup_offer set offered_kinds = @OfferedKinds, expires_at = @ExpiresAt, offered_at = @OfferedAt, offer_version = @Version
                        where clinic_id = @ClinicId and makeup_id = @MakeupId
                        """, new { offer.ClinicId, offer.MakeupId, OfferedKinds = offer.OfferedKinds.ToArray(), offer.ExpiresAt, offer.OfferedAt, offer.Version },
                        tx, cancellationToken: ct));
                return;
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                update makeup_offer
                set offered_kinds = @OfferedKinds, expires_at = @ExpiresAt, offered_at = @OfferedAt, withdrawn_at = null, expired_at = null,
                    version = coalesce(@Version, version), offer_version = @Version
                where clinic_id = @ClinicId and makeup_id = @MakeupId
                """, new { offer.ClinicId, offer.MakeupId, OfferedKinds = offer.OfferedKinds.ToArray(), offer.ExpiresAt, offer.OfferedAt, offer.Version },
                tx, cancellationToken: ct));
            var cancelledBooking = await conn.QuerySingleOrDefaultAsync<(Guid SessionId, DateTimeOffset StartsAt, string TimeZone)?>(new CommandDefinition("""
                delete from makeup_booking where clinic_id = @ClinicId and makeup_id = @MakeupId
                returning session_id, starts_at, time_zone
                """, new { offer.ClinicId, offer.MakeupId }, tx, cancellationToken: ct));
            if (cancelledBooking is { } booking)
            {
                await Queue(conn, tx, new QueuedDelivery(offer.ClinicId, offer.PatientId, booking.SessionId, "makeupReopened",
                    booking.StartsAt, booking.TimeZone, MissedSessionId: offer.MissedSessionId), now, ct);
                await conn.ExecuteAsync(new CommandDefinition("""
                    update delivery set status = 'cancelled', detail = 'Replaced by the message that the makeup can no longer go ahead.'
                    where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and kind = 'sessionCancelled' and status = 'pending'
                    """, new { offer.ClinicId, booking.SessionId, offer.PatientId }, tx, cancellationToken: ct));
                return;
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), d.clinic_id, d.patient_id, d.session_id, 'makeupOptions', 'email', d.session_starts_at, d.time_zone,
                       @Now, 'pending', @Now
                from delivery d
                where d.clinic_id = @ClinicId and d.session_id = @MissedSessionId and d.patient_id = @PatientId
                  and d.kind in ('missedSession', 'absenceAcknowledged') and d.status in ('sending', 'sent', 'unknown')
                  and not exists (select 1 from session s where s.clinic_id = @ClinicId and s.id = @MissedSessionId and s.cancelled_at is not null)
                  and not exists (select 1 from miss_correction c
                                  where c.clinic_id = @ClinicId and c.session_id = @MissedSessionId and c.patient_id = @PatientId and c.undoes_miss)
                limit 1
                on conflict do nothing
                """, new { offer.ClinicId, offer.MissedSessionId, offer.PatientId, Now = now }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// The patient withdrew the absence notice a makeup was offered for, so Scheduling withdrew the makeup. Nothing is
    /// sent about it: messages still to go out stop listing it, and a follow-up that was only for it is cancelled.
    /// </summary>
    public Task<bool> DropWithdrawnMakeup(MakeupWithdrawn withdrawn, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(withdrawn, inboxKey, (conn, tx) =>
            EndOffer(conn, tx, new EndedOffer(withdrawn.ClinicId, withdrawn.MakeupId, withdrawn.MissedSessionId, withdrawn.PatientId,
                withdrawn.WithdrawnAt, Withdrawn: true, withdrawn.Version), "The makeup offer was withdrawn with the absence notice.", ct), ct);

    /// <summary>A makeup offer ran out: as with a withdrawal, pending messages stop listing it, and nothing is sent about it.</summary>
    public Task<bool> DropExpiredMakeup(MakeupExpired expired, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(expired, inboxKey, (conn, tx) =>
            EndOffer(conn, tx, new EndedOffer(expired.ClinicId, expired.MakeupId, expired.MissedSessionId, expired.PatientId,
                expired.ExpiredAt, Withdrawn: false, expired.Version), "The makeup offer expired.", ct), ct);

    sealed record EndedOffer(Guid ClinicId, Guid MakeupId, Guid MissedSessionId, Guid PatientId, DateTimeOffset EndedAt, bool Withdrawn, long? Version);

    /// <summary>
    /// Marks the offer ended and forgets its booking; the messages that list the options read the live offers when they
    /// are rendered, so they drop it by themselves. A pending options message left with no live offer is cancelled
    /// with the reason; one a dispatcher already holds is on its way and is not touched. An ending heard of before its
    /// offer is kept, so the offer is not taken as live when it arrives; one older than a re-offer already held changes nothing.
    /// </summary>
    async Task EndOffer(NpgsqlConnection conn, NpgsqlTransaction tx, EndedOffer ended, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var held = await HoldOffer(conn, tx, ended.ClinicId, ended.MakeupId, ended.MissedSessionId, ended.PatientId, now, ct);
        if (!MakeupOfferOrder.EndingIsCurrent(ended.Version, ended.EndedAt, held)) return;
        await conn.ExecuteAsync(new CommandDefinition("""
            update makeup_offer
            set withdrawn_at = coalesce(@WithdrawnAt, withdrawn_at), expired_at = coalesce(@ExpiredAt, expired_at), version = coalesce(@Version, version)
            where clinic_id = @ClinicId and makeup_id = @MakeupId;

            delete from makeup_booking where clinic_id = @ClinicId and makeup_id = @MakeupId;

            update delivery d set status = 'cancelled', detail = @Reason
            where d.clinic_id = @ClinicId and d.patient_id = @PatientId and d.status = 'pending'
              and ((d.kind = 'makeupOptions' and d.session_id = @MissedSessionId)
                   or (d.kind = 'makeupReopened' and d.missed_session_id = @MissedSessionId))
              and not exists (select 1 from makeup_offer o
                              where o.clinic_id = @ClinicId and o.missed_session_id = @MissedSessionId and o.patient_id = @PatientId
                                and o.withdrawn_at is null and o.expired_at is null and o.expires_at > @Now);
            """, new
        {
            ended.ClinicId, ended.MakeupId, ended.MissedSessionId, ended.PatientId, ended.Version, WithdrawnAt = ended.Withdrawn ? ended.EndedAt : (DateTimeOffset?)null,
            ExpiredAt = ended.Withdrawn ? (DateTimeOffset?)null : ended.EndedAt, Reason = reason, Now = now
        }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// The makeup's row, created bare when neither its offer nor an ending was heard of yet, and locked: an offer and
    /// its ending consumed at the same moment then take turns, each seeing what the other wrote.
    /// </summary>
    static async Task<MakeupOfferTimes> HoldOffer(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid makeupId, Guid missedSessionId,
        Guid patientId, DateTimeOffset now, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into makeup_offer (clinic_id, makeup_id, missed_session_id, patient_id, received_at)
            values (@ClinicId, @MakeupId, @MissedSessionId, @PatientId, @Now)
            on conflict do nothing
            """, new { ClinicId = clinicId, MakeupId = makeupId, MissedSessionId = missedSessionId, PatientId = patientId, Now = now },
            tx, cancellationToken: ct));
        var held = await conn.QuerySingleAsync<(DateTimeOffset? OfferedAt, DateTimeOffset? WithdrawnAt, DateTimeOffset? ExpiredAt, long? Version,
            long? OfferVersion)>(new CommandDefinition("""
            select offered_at, withdrawn_at, expired_at, version, offer_version from makeup_offer
            where clinic_id = @ClinicId and makeup_id = @MakeupId
            for update
            """, new { ClinicId = clinicId, MakeupId = makeupId }, tx, cancellationToken: ct));
        return new MakeupOfferTimes(held.OfferedAt, held.WithdrawnAt, held.ExpiredAt, held.Version, held.OfferVersion);
    }

    async Task SupportAndAlert(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, string topic, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await Queue(conn, tx, new QueuedDelivery(clinicId, patientId, null, "attendanceSupport", null, null, Topic: topic), now, ct);
        await AlertClinician(conn, tx, clinicId, patientId, topic, now, ct);
    }

    /// <summary>
    /// An alert to the patient's clinician: the clinician of the latest session Notification knows the patient takes
    /// part in. With none known, the alert is recorded as skipped, so the clinic sees it was not sent and why.
    /// </summary>
    static async Task AlertClinician(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, string topic, DateTimeOffset now,
        CancellationToken ct)
    {
        var clinician = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            select s.clinician_id
            from session_participant p
            join session s on s.clinic_id = p.clinic_id and s.id = p.session_id
            where p.clinic_id = @ClinicId and p.patient_id = @PatientId and s.clinician_id is not null and s.cancelled_at is null
            order by s.starts_at desc
            limit 1
            """, new { ClinicId = clinicId, PatientId = patientId }, tx, cancellationToken: ct));
        await Queue(conn, tx, clinician is { } id
            ? new QueuedDelivery(clinicId, patientId, null, "clinicianAlert", null, null, "clinician", id, topic)
            : new QueuedDelivery(clinicId, patientId, null, "clinicianAlert", null, null, "clinician", null, topic, Status: "skipped",
                Detail: "No clinician on record for the patient (no session with a clinician received yet).", ReasonCode: "noClinician"), now, ct);
    }

    Task OpenHelpDeskTicket(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, Guid sessionId, string source, DateTimeOffset now,
        CancellationToken ct) =>
        options.Value.HelpDesk.Configured
            ? Queue(conn, tx, new QueuedDelivery(clinicId, patientId, sessionId, "helpDeskTicket", null, null, "helpDesk", null, source, "helpDesk"), now, ct)
            : Task.CompletedTask;

    static string Topic(string what, string rule, decimal current, decimal limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}:{rule}:{current}:{limit}");

    sealed record QueuedDelivery(
        Guid ClinicId, Guid PatientId, Guid? SessionId, string Kind, DateTimeOffset? SessionStartsAt, string? TimeZone,
        string Recipient = "patient", Guid? RecipientId = null, string? Topic = null, string Channel = "email", string Status = "pending",
        string? Detail = null, string? ReasonCode = null, Guid? MissedSessionId = null);

    static Task Queue(NpgsqlConnection conn, NpgsqlTransaction tx, QueuedDelivery d, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, recipient, recipient_id, topic,
                                  session_starts_at, time_zone, due_at, status, detail, reason_code, missed_session_id, created_at)
            values (gen_random_uuid(), @ClinicId, @PatientId, @SessionId, @Kind, @Channel, @Recipient, @RecipientId, @Topic,
                    @SessionStartsAt, @TimeZone, @Now, @Status, @Detail, @ReasonCode, @MissedSessionId, @Now)
            on conflict do nothing
            """, new
        {
            d.ClinicId, d.PatientId, d.SessionId, d.Kind, d.Channel, d.Recipient, d.RecipientId, d.Topic, d.SessionStartsAt, d.TimeZone, Now = now,
            d.Status, d.Detail, d.ReasonCode, d.MissedSessionId
        }, tx, cancellationToken: ct));
}
