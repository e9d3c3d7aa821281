using System.Net;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>The telehealth platform's webhook, signed per clinic, at instants the test chooses (the service's clock is set).</summary>
[Collection(AttendanceCollection.Name)]
public sealed class TelehealthWebhookTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static object Event(string eventId, Guid sessionId, Guid participantId, string kind, DateTimeOffset occurredAt, string role = "patient") =>
        new { eventId, sessionId, participantId, participantRole = role, kind, occurredAt };

    [Fact]
    public async Task Joins_and_leaves_from_the_platform_add_up_to_minutes_and_a_redelivered_event_has_no_second_effect()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var patient = session.PatientIds[0];
        var platform = attendance.AnonymousClient();
        await attendance.Schedule(session);
        var start = session.StartsAt;

        attendance.Clock.Set(start.AddMinutes(2));
        var joined = await platform.Telehealth(clinicId, secret, Event("evt-1", session.SessionId, patient, "joined", start.AddMinutes(1)), start.AddMinutes(2));
        attendance.Clock.Set(start.AddMinutes(31));
        await platform.Telehealth(clinicId, secret, Event("evt-2", session.SessionId, patient, "left", start.AddMinutes(30)), start.AddMinutes(31));
        attendance.Clock.Set(start.AddMinutes(36));
        var rejoin = Event("evt-3", session.SessionId, patient, "joined", start.AddMinutes(35));
        await platform.Telehealth(clinicId, secret, rejoin, start.AddMinutes(36));
        var redelivered = await platform.Telehealth(clinicId, secret, rejoin, start.AddMinutes(37));
        attendance.Clock.Set(start.AddMinutes(81));
        await platform.Telehealth(clinicId, secret, Event("evt-4", session.SessionId, patient, "left", start.AddMinutes(80)), start.AddMinutes(81));

        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Equal("recorded", (await joined.Json()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal("duplicate", (await redelivered.Json()).GetProperty("status").GetString());
        var record = await attendance.ClientFor(clinicId).Record(session.SessionId, patient);
        Assert.Equal(74, record.GetProperty("minutesAttended").GetInt32());
        Assert.Equal("present", record.GetProperty("outcome").GetString());
        Assert.Equal(start.AddMinutes(1), record.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal("telehealth", record.GetProperty("recordedBy").GetString());
        Assert.Equal(2, await attendance.PresenceIntervals(session.SessionId));
        Assert.Equal(4, await attendance.TelehealthEventRows(clinicId));
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        var attended = Assert.Single(attendance.Broker.Received<SessionAttended>(e => e.SessionId == session.SessionId));
        Assert.Equal(start.AddMinutes(1), attended.CheckedInAt);
    }

    [Fact]
    public async Task Leaves_delivered_before_their_joins_add_up_to_the_same_minutes_and_outcome_as_in_order()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var (inOrder, outOfOrder) = (session.PatientIds[0], session.PatientIds[1]);
        var platform = attendance.AnonymousClient();
        await attendance.Schedule(session);
        var start = session.StartsAt;
        (string Kind, int Minute)[] stay = [("joined", 2), ("left", 40), ("joined", 50), ("left", 60)];
        var now = start.AddMinutes(61);
        attendance.Clock.Set(now);

        var responses = new List<HttpResponseMessage>();
        foreach (var (kind, minute) in stay)
        {
            responses.Add(await platform.Telehealth(clinicId, secret,
                Event($"in-{minute}", session.SessionId, inOrder, kind, start.AddMinutes(minute)), now));
        }
        var leaveAfterItsJoin = await attendance.ClientFor(clinicId).Record(session.SessionId, outOfOrder);
        foreach (var (kind, minute) in new[] { stay[3], stay[1], stay[2], stay[0] })
        {
            responses.Add(await platform.Telehealth(clinicId, secret,
                Event($"out-{minute}", session.SessionId, outOfOrder, kind, start.AddMinutes(minute)), now));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal("pending", leaveAfterItsJoin.GetProperty("outcome").GetString());
        var clinic = attendance.ClientFor(clinicId);
        var expected = await clinic.Record(session.SessionId, inOrder);
        var actual = await clinic.Record(session.SessionId, outOfOrder);
        Assert.Equal((48, "partial"), (expected.GetProperty("minutesAttended").GetInt32(), expected.GetProperty("outcome").GetString()));
        foreach (var field in new[] { "minutesAttended", "outcome", "checkedInAt", "checkedOutAt" })
        {
            Assert.Equal(expected.GetProperty(field).ToString(), actual.GetProperty(field).ToString());
        }
        Assert.Equal(2, await attendance.PresenceIntervals(session.SessionId, outOfOrder));
        var attended = await attendance.Broker.WaitFor<SessionAttended>(e => e.SessionId == session.SessionId, 2);
        // One SessionAttended each; it says the check-in known when it went out (the join at 50 came before the one at 2).
        Assert.Equal([(inOrder, start.AddMinutes(2)), (outOfOrder, start.AddMinutes(50))],
            attended.Select(e => (e.PatientId, e.CheckedInAt)).OrderBy(e => e.PatientId == outOfOrder).ToList());
    }

    [Fact]
    public async Task A_clinician_who_joins_through_the_platform_is_staff_and_never_becomes_a_patient_no_show()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var facilitator = Guid.NewGuid();
        var standIn = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1) with { ClinicianId = facilitator };
        var platform = attendance.AnonymousClient();
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt);

        var facilitatorJoined = await platform.Telehealth(clinicId, secret,
            Event("f-1", session.SessionId, facilitator, "joined", session.StartsAt, "clinician"), session.StartsAt);
        var standInJoined = await platform.Telehealth(clinicId, secret,
            Event("s-1", session.SessionId, standIn, "joined", session.StartsAt, "clinician"), session.StartsAt);
        var patientAsClinician = await platform.Telehealth(clinicId, secret,
            Event("p-1", session.SessionId, session.PatientIds[0], "joined", session.StartsAt, "clinician"), session.StartsAt);
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, facilitatorJoined.StatusCode);
        Assert.Equal(HttpStatusCode.OK, standInJoined.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, patientAsClinician.StatusCode);
        Assert.True((await patientAsClinician.Json()).GetProperty("errors").TryGetProperty("participantRole", out _));
        var clinic = attendance.ClientFor(clinicId);
        Assert.Equal([(session.PatientIds[0], "noShow")], await clinic.Outcomes(session.SessionId));
        var staff = (await (await clinic.GetAttendance(session.SessionId)).Json()).GetProperty("staff").EnumerateArray()
            .Select(s => (s.GetProperty("staffId").GetGuid(), s.GetProperty("role").GetString())).OrderBy(s => s.Item2).ToList();
        Assert.Equal([(facilitator, "facilitator"), (standIn, "standIn")], staff);
        var missed = await attendance.Broker.WaitFor<SessionMissed>(e => e.SessionId == session.SessionId, 1);
        Assert.Equal(session.PatientIds[0], Assert.Single(missed).PatientId);
    }

    [Fact]
    public async Task A_signature_made_for_one_clinics_url_is_refused_at_another_clinics_url_even_under_a_shared_secret_and_writes_nothing()
    {
        var (clinicA, clinicB, secret) = attendance.ClinicsSharingATelehealthSecret;
        var session = AttendanceService.NewSession(clinicB, patients: 1);
        var patient = session.PatientIds[0];
        var platform = attendance.AnonymousClient();
        await attendance.Schedule(session);
        var now = session.StartsAt.AddMinutes(1);
        attendance.Clock.Set(now);
        var joined = Event("evt-shared", session.SessionId, patient, "joined", now);
        var signedForA = WebhookSignature.Compute(secret, now.ToUnixTimeSeconds(), "POST", $"/api/attendance/webhooks/telehealth/{clinicA}",
            JsonSerializer.Serialize(joined, JsonSerializerOptions.Web));

        var replayedToB = await platform.Telehealth(clinicB, secret, joined, now, signature: signedForA);

        Assert.Equal(HttpStatusCode.Unauthorized, replayedToB.StatusCode);
        Assert.Equal("application/problem+json", replayedToB.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await attendance.TelehealthEventRows(clinicB) + await attendance.PresenceIntervals(session.SessionId));
        var signedForB = await platform.Telehealth(clinicB, secret, joined, now);
        Assert.Equal(HttpStatusCode.OK, signedForB.StatusCode);
        Assert.Equal(1, await attendance.TelehealthEventRows(clinicB));
    }

    [Fact]
    public async Task Badly_signed_stale_or_replayed_webhooks_are_refused_and_another_clinics_is_held_apart_writing_nothing_here()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var (otherClinicId, otherSecret) = attendance.NewTelehealthClinic();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var patient = session.PatientIds[0];
        var platform = attendance.AnonymousClient();
        await attendance.Schedule(session);
        var now = session.StartsAt.AddMinutes(1);
        attendance.Clock.Set(now);
        var joined = Event("evt-1", session.SessionId, patient, "joined", now);

        var wrongSecret = await platform.Telehealth(clinicId, otherSecret, joined, now);
        var stale = await platform.Telehealth(clinicId, secret, joined, now.AddMinutes(-5).AddSeconds(-1));
        var unsigned = await platform.Telehealth(clinicId, secret, joined, now, signature: "");
        var tampered = await platform.Telehealth(clinicId, secret, joined, now,
            signature: WebhookSignature.Compute(secret, now.ToUnixTimeSeconds(), "POST", $"/api/attendance/webhooks/telehealth/{clinicId}", "{}"u8));
        var otherClinic = await platform.Telehealth(otherClinicId, otherSecret, joined, now);
        var stranger = await platform.Telehealth(clinicId, secret, Event("evt-2", session.SessionId, Guid.NewGuid(), "joined", now), now);
        var badKind = await platform.Telehealth(clinicId, secret, Event("evt-3", session.SessionId, patient, "waved", now), now);
        var nothingYet = await attendance.TelehealthEventRows(clinicId) + await attendance.PresenceIntervals(session.SessionId);
        var accepted = await platform.Telehealth(clinicId, secret, joined, now);
        var forgedReplay = await platform.Telehealth(clinicId, secret, Event("evt-1", session.SessionId, patient, "left", now.AddMinutes(1)), now);

        Assert.All([wrongSecret, stale, unsigned, tampered], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("X-VirtualIop-Timestamp", (await stale.Json()).GetProperty("header").GetString());
        // Another clinic knows no such session: its presence is held for its own session of that id, never applied to this one.
        Assert.Equal(HttpStatusCode.Accepted, otherClinic.StatusCode);
        Assert.Equal("held", (await otherClinic.Json()).GetProperty("status").GetString());
        Assert.Equal(1, await attendance.PendingPresenceRows(otherClinicId));
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.True((await stranger.Json()).GetProperty("errors").TryGetProperty("participantId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.True((await badKind.Json()).GetProperty("errors").TryGetProperty("kind", out _));
        Assert.Equal(0, nothingYet);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, forgedReplay.StatusCode);
        Assert.Equal("application/problem+json", forgedReplay.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await attendance.PresenceIntervals(session.SessionId));
        var record = await attendance.ClientFor(clinicId).Record(session.SessionId, patient);
        Assert.Equal("present", record.GetProperty("outcome").GetString());
        Assert.True(record.GetProperty("checkedOutAt").ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Event_ids_are_forgotten_once_older_than_the_retention_and_younger_ones_still_refuse_a_replay()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var patient = session.PatientIds[0];
        var platform = attendance.AnonymousClient();
        await attendance.Schedule(session);
        var now = session.StartsAt;
        foreach (var (eventId, age) in new[] { ("evt-8-days", TimeSpan.FromDays(8)), ("evt-7-days-less-a-minute", TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1)) })
        {
            attendance.Clock.Set(now - age);
            var taken = await platform.Telehealth(clinicId, secret, Event(eventId, session.SessionId, patient, "joined", now - age), now - age);
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        }

        await attendance.TelehealthRetention.RunOnce(now, CancellationToken.None);

        Assert.Equal(["evt-7-days-less-a-minute"], await attendance.TelehealthEventIds(clinicId));
        attendance.Clock.Set(now);
        var replay = await platform.Telehealth(clinicId, secret,
            Event("evt-7-days-less-a-minute", session.SessionId, patient, "left", now), now);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
    }
}
