using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Domain;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class ReminderPlansTests(NotificationService service, SmtpSink smtp) : IClassFixture<NotificationService>
{
    static DateTimeOffset WholeMinutes(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    /// <summary>Scheduling created a program for the clinic; returns its id once Notification has taken the event in.</summary>
    async Task<Guid> CreateProgram(Guid clinic)
    {
        var created = new ProgramCreated(Guid.CreateVersion7(), clinic, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await service.Broker.Publish(created);
        await service.Consumed.WaitFor(created.EventId, times: 1);
        return created.ProgramId;
    }

    [Fact]
    public async Task A_programs_plan_sets_its_sessions_reminders_and_the_join_alert_carries_the_join_link()
    {
        var clinic = Guid.NewGuid();
        var program = await CreateProgram(clinic);
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var saved = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/programs/{program}/reminder-plan",
            new { offsets = new[] { "03:00:00" }, joinAlertOffset = "00:10:00" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var startsAt = WholeMinutes(DateTimeOffset.UtcNow.AddHours(5));
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/Berlin", [patient], ProgramId: program);

        await service.Broker.Publish(session);

        var planned = await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "the plan's two deliveries");
        Assert.Equal([("reminder", startsAt.AddHours(-3)), ("joinAlert", startsAt.AddMinutes(-10))], planned.Select(d => (d.Kind, d.DueAt)));

        await service.Dispatcher.RunOnce(startsAt.AddMinutes(-10), default);

        var mail = await smtp.WaitForMessageAsync(email, m => m.Subject?.Contains("starts soon") == true);
        NotificationService.PersonalLinkToken(await smtp.GetPlainTextAsync(mail), "/patient/sessions");
    }

    [Theory]
    [InlineData("""{ "offsets": ["-01:00:00"] }""", "offsets")]
    [InlineData("""{ "offsets": ["20.00:00:00"] }""", "offsets")]
    [InlineData("""{ "offsets": ["02:00:00", "02:00:00"] }""", "offsets")]
    [InlineData("""{ "offsets": [] }""", "offsets")]
    [InlineData("""{ "offsets": ["02:00:00"], "joinAlertOffset": "03:00:00" }""", "joinAlertOffset")]
    [InlineData("""{ "offsets": ["two hours"] }""", "offsets")]
    public async Task A_bad_plan_is_rejected_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var clinic = Guid.NewGuid();

        var response = await service.ClientFor(clinic).PutAsync($"/api/notification/programs/{Guid.NewGuid()}/reminder-plan",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase)), errors.ToString());
        Assert.Equal(0, await service.Count("reminder_plan", clinic));
    }

    [Fact]
    public async Task Another_clinic_cannot_read_a_programs_plan()
    {
        var owner = Guid.NewGuid();
        var program = await CreateProgram(owner);
        (await service.ClientFor(owner).PutAsJsonAsync($"/api/notification/programs/{program}/reminder-plan",
            new { offsets = new[] { "02:00:00" } })).EnsureSuccessStatusCode();

        var response = await service.ClientFor(Guid.NewGuid()).GetAsync($"/api/notification/programs/{program}/reminder-plan");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_plan_for_a_program_the_clinic_did_not_create_is_404_saying_the_program_is_unknown_and_writes_nothing()
    {
        var (owner, other) = (Guid.NewGuid(), Guid.NewGuid());
        var program = await CreateProgram(owner);
        var plan = new { offsets = new[] { "02:00:00" } };

        var othersProgram = await service.ClientFor(other).PutAsJsonAsync($"/api/notification/programs/{program}/reminder-plan", plan);
        var neverCreated = await service.ClientFor(owner).PutAsJsonAsync($"/api/notification/programs/{Guid.NewGuid()}/reminder-plan", plan);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (othersProgram.StatusCode, neverCreated.StatusCode));
        var problem = await othersProgram.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("program", problem.GetProperty("resource").GetString());
        Assert.Contains("unknown to Notification", problem.GetProperty("detail").GetString());
        Assert.Equal((0, 0), (await service.Count("reminder_plan", other), await service.Count("reminder_plan", owner)));
    }

    [Fact]
    public async Task A_program_is_known_from_a_session_before_its_ProgramCreated_and_once_however_often_that_arrives()
    {
        var clinic = Guid.NewGuid();
        var startsAt = WholeMinutes(DateTimeOffset.UtcNow.AddHours(5));
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "UTC", [Guid.NewGuid()], ProgramId: Guid.NewGuid());
        var created = new ProgramCreated(Guid.CreateVersion7(), clinic, session.ProgramId!.Value, DateTimeOffset.UtcNow);

        await service.Broker.Publish(session);
        await service.Consumed.WaitFor(session.EventId, times: 1);
        var fromSession = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/programs/{session.ProgramId}/reminder-plan",
            new { offsets = new[] { "02:00:00" } });
        await service.Broker.Publish(created);
        await service.Broker.Publish(created);
        await service.Consumed.WaitFor(created.EventId, times: 2);

        Assert.Equal(HttpStatusCode.OK, fromSession.StatusCode);
        Assert.Equal(1, await service.Count("programs", clinic));
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/programs/{session.ProgramId}/reminder-plan",
            new { offsets = new[] { "03:00:00" } })).StatusCode);
    }

    [Fact]
    public async Task Quiet_hours_are_read_on_each_patients_own_clock_across_time_zones()
    {
        var clinic = Guid.NewGuid();
        var program = await CreateProgram(clinic);
        var (tokyo, losAngeles, madrid) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var tokyoZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var overnight = new { start = "21:00", end = "08:00" };
        await service.RegisterPreferences(clinic, tokyo, new { email = $"t-{tokyo:N}@example.test", timeZone = "Asia/Tokyo", quietHours = overnight });
        await service.RegisterPreferences(clinic, losAngeles, new { email = $"l-{losAngeles:N}@example.test", timeZone = "America/Los_Angeles" });
        await service.RegisterPreferences(clinic, madrid, new { email = $"m-{madrid:N}@example.test", timeZone = "Europe/Madrid", quietHours = overnight });
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/programs/{program}/reminder-plan",
            new { offsets = new[] { "1.00:00:00" } })).EnsureSuccessStatusCode();
        // The session starts at 23:00 in Tokyo two days from now, so its day-before reminder falls at 23:00 Tokyo time.
        var tokyoDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, tokyoZone).DateTime).AddDays(3);
        var startsAt = QuietHoursRule.ToInstant(tokyoDay.ToDateTime(new TimeOnly(23, 0)), tokyoZone).ToUniversalTime();
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Asia/Tokyo", [tokyo, losAngeles, madrid], ProgramId: program);

        await service.Broker.Publish(session);

        var planned = await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 3, "three planned reminders");
        var forTokyo = planned.Single(d => d.PatientId == tokyo);
        Assert.Equal(QuietHoursRule.ToInstant(tokyoDay.AddDays(-1).ToDateTime(new TimeOnly(20, 59)), tokyoZone), forTokyo.DueAt);
        Assert.Contains("quiet hours (21:00-08:00 Asia/Tokyo)", forTokyo.Detail);
        // 23:00 in Tokyo is daytime in Los Angeles (no quiet hours anyway) and in Madrid (quiet only at night there).
        Assert.All(planned.Where(d => d.PatientId != tokyo), d => Assert.Equal((startsAt.AddDays(-1), (string?)null), (d.DueAt, d.Detail)));
    }
}
