extern alias attendance;
extern alias engagement;
extern alias notification;
extern alias scheduling;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Pipeline.IntegrationTests.Benchmarks;
using VirtualIop.TestSupport;
using DeliveryDispatcher = notification::VirtualIop.Notification.Workers.DeliveryDispatcher;

namespace VirtualIop.Pipeline.IntegrationTests;

/// <summary>
/// A correction undoes a miss across the four services, through the broker: Scheduling schedules a cohort's session for
/// two patients, Attendance's sweep decides both no-shows, and the misses open a makeup offer (Scheduling), a queued
/// "we missed you" (Notification), an outreach task and a catch-up package (Engagement). A clinician then corrects one
/// patient to excused before the queued message is due. Notification's dispatcher is left idle until the test runs one
/// pass itself after the correction, so the message was queued and would have gone out; the other patient's message,
/// sent in that same pass, shows that it does.
/// </summary>
[Collection(FlowCollection.Name)]
public sealed class CorrectedMissFlowTests(PostgresServer postgres, RabbitMqBroker rabbitMq)
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task A_no_show_corrected_to_excused_before_its_we_missed_you_is_due_withdraws_the_offer_closes_the_follow_ups_and_sends_nothing()
    {
        var broker = await rabbitMq.NewVirtualHostAsync("correctedmiss");
        var databases = new[] { "scheduling", "attendance", "notification", "engagement" }.ToDictionary(n => n, postgres.NewDatabaseConnectionString);
        try
        {
            await Run(broker, databases);
        }
        finally
        {
            await rabbitMq.DeleteVirtualHostAsync(broker);
            foreach (var database in databases.Values) await postgres.DropDatabaseAsync(database);
        }
    }

    static async Task Run(Uri broker, Dictionary<string, string> databases)
    {
        await using var smtp = new TimestampingSmtpServer();
        await using var notificationService = FlowService<notification::Program>.Start("notification", databases["notification"], broker,
            new Dictionary<string, string>
            {
                ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
                // The hosted pass runs once at start-up, then waits: the test runs the pass that would send the queued messages.
                ["Notification:DispatchInterval"] = "01:00:00", ["Webhooks:Enabled"] = "false"
            });
        await using var engagementService = FlowService<engagement::Program>.Start("engagement", databases["engagement"], broker, new Dictionary<string, string>());
        await using var attendanceService = FlowService<attendance::Program>.Start("attendance", databases["attendance"], broker,
            new Dictionary<string, string> { ["Attendance:SweepInterval"] = "00:00:01", ["Attendance:PolicyEvaluationInterval"] = "01:00:00" });
        await using var schedulingService = FlowService<scheduling::Program>.Start("scheduling", databases["scheduling"], broker, new Dictionary<string, string>());
        var clinic = Guid.NewGuid();
        var (corrected, other) = (Guid.NewGuid(), Guid.NewGuid());
        var emails = new[] { corrected, other }.ToDictionary(p => p, p => $"miss-{p:N}@corrected.flow.example.test");
        var notificationApi = notificationService.ClientFor(clinic, PartnerScopes.Notification);
        foreach (var (patient, email) in emails)
            (await notificationApi.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email })).EnsureSuccessStatusCode();
        var session = await ScheduleCohortSession(schedulingService.ClientFor(clinic, PartnerScopes.Scheduling), corrected, other);

        // The session took place without them: Attendance knows both, and its sweep decides both no-shows once their grace is over.
        await Eventually.Until(() => Scalar<int>(databases["attendance"], "select count(*)::int from attendance_record where clinic_id = @clinic and session_id = @session",
            new { clinic, session }), n => n == 2, "Attendance expecting both patients");
        await Execute(databases["attendance"], "update attendance_session set no_show_due_at = now() where clinic_id = @clinic and id = @session", new { clinic, session });
        await Eventually.Until(() => Scalar<int>(databases["scheduling"], "select count(*)::int from makeup where clinic_id = @clinic and status = 'offered'", new { clinic }),
            n => n == 2, "a makeup offered to each patient");
        await Eventually.Until(() => Scalar<int>(databases["notification"],
            "select count(*)::int from delivery where clinic_id = @clinic and kind = 'missedSession' and status = 'pending'", new { clinic }),
            n => n == 2, "a we-missed-you queued for each patient");
        await Eventually.Until(() => Scalar<int>(databases["engagement"], """
            select (select count(*) from follow_up_task where clinic_id = @clinic and kind = 'missedSessionOutreach' and status = 'open')
                 + (select count(*) from continuity_package where clinic_id = @clinic and addressed_at is null)
            """, new { clinic }), n => n == 4, "an outreach task and a catch-up package for each patient");

        var correction = await attendanceService.ClientFor(clinic, PartnerScopes.Attendance).PostAsJsonAsync(
            $"/api/attendance/sessions/{session}/corrections",
            new { patientId = corrected, outcome = "excusedAbsence", reasonCategory = "illness", explanation = "Called the front desk before the session." });
        Assert.Equal(HttpStatusCode.OK, correction.StatusCode);

        var ofCorrected = new { clinic, patient = corrected };
        Assert.Equal("withdrawn", await Eventually.Until(() => Scalar<string>(databases["scheduling"],
            "select status from makeup where clinic_id = @clinic and patient_id = @patient", ofCorrected), s => s == "withdrawn", "the offer withdrawn"));
        var cancelled = await Eventually.Until(() => Rows<(string Status, string? Reason)>(databases["notification"],
            "select status, reason_code from delivery where clinic_id = @clinic and patient_id = @patient and kind = 'missedSession'", ofCorrected),
            d => d is [("cancelled", _)], "the we-missed-you cancelled");
        Assert.Equal(("cancelled", "corrected"), Assert.Single(cancelled));
        var closed = await Eventually.Until(() => Rows<(string Task, string? Note, string? Package)>(databases["engagement"], """
            select t.status, t.outcome_note, p.addressed_how
            from follow_up_task t join continuity_package p on p.clinic_id = t.clinic_id and p.patient_id = t.patient_id and p.session_id = t.session_id
            where t.clinic_id = @clinic and t.patient_id = @patient and t.kind = 'missedSessionOutreach'
            """, ofCorrected), r => r is [("cancelled", _, "corrected")], "the outreach and the catch-up closed");
        Assert.Equal(("cancelled", "corrected", "corrected"), Assert.Single(closed));

        await notificationService.Services.GetRequiredService<DeliveryDispatcher>().RunOnce(DateTimeOffset.UtcNow, CancellationToken.None);

        await Eventually.Until(() => Task.FromResult(smtp.Accepted.Count(m => m.Recipient == emails[other])), n => n == 1, "the other patient's we-missed-you");
        Assert.StartsWith("We missed you", Assert.Single(smtp.Accepted, m => m.Recipient == emails[other]).Subject);
        Assert.DoesNotContain(smtp.Accepted, m => m.Recipient == emails[corrected]);
        Assert.Equal(0, await Scalar<int>(databases["notification"],
            "select count(*)::int from delivery where clinic_id = @clinic and patient_id = @patient and status in ('sending', 'sent', 'unknown')", ofCorrected));
        Assert.Equal(("offered", "open"), (
            await Scalar<string>(databases["scheduling"], "select status from makeup where clinic_id = @clinic and patient_id = @patient", new { clinic, patient = other }),
            await Scalar<string>(databases["engagement"], "select status from follow_up_task where clinic_id = @clinic and patient_id = @patient and kind = 'missedSessionOutreach'",
                new { clinic, patient = other })));
    }

    /// <summary>A program, a cohort with both patients and one session three days from now (far from any reminder); returns the session's id.</summary>
    static async Task<Guid> ScheduleCohortSession(HttpClient scheduling, params Guid[] patients)
    {
        var program = await Created(scheduling.PostAsJsonAsync("/api/scheduling/programs",
            new { name = "Adult SUD IOP", topics = new[] { new { title = "Triggers", kind = "groupTherapy" } } }));
        var cohort = await Created(scheduling.PostAsJsonAsync("/api/scheduling/cohorts", new
        {
            programId = program.GetProperty("id").GetGuid(), name = "Evening group A", facilitatorClinicianId = Guid.NewGuid(), capacity = 10,
            timeZone = "America/New_York"
        }));
        var cohortId = cohort.GetProperty("id").GetGuid();
        foreach (var patient in patients) await Created(scheduling.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/enrolments", new { patientId = patient }));
        var startsAtLocal = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date.AddDays(3).AddHours(18);
        await Created(scheduling.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series", new
        {
            rrule = "FREQ=DAILY;COUNT=1", startsAtLocal = startsAtLocal.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), durationMinutes = 180
        }));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(6).ToString("O"));
        var sessions = await (await scheduling.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?to={to}")).Content.ReadFromJsonAsync<JsonElement>();
        return Assert.Single(sessions.EnumerateArray()).GetProperty("id").GetGuid();
    }

    static async Task<JsonElement> Created(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    static async Task<T> Scalar<T>(string database, string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    static async Task<IReadOnlyList<T>> Rows<T>(string database, string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    static async Task Execute(string database, string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.ExecuteAsync(sql, parameters);
    }
}
