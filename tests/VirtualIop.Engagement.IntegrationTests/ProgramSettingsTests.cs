using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class ProgramSettingsTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static string Url(Guid program) => $"/api/engagement/programs/{program}/pattern-settings";

    Task<HttpResponseMessage> WaitForProgram(Guid clinic, Guid program) =>
        Eventually.Until(() => service.ClientFor(clinic).GetAsync(Url(program)), r => r.StatusCode == HttpStatusCode.OK, $"program {program} known");

    [Fact]
    public async Task A_program_that_waits_for_three_misses_in_a_row_is_not_raised_by_two_while_another_program_is()
    {
        var (clinic, strictProgram, otherProgram) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (enrolled, joined, elsewhere) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var strictSession = Scheduled(clinic, strictProgram, Guid.NewGuid(), null, -2, enrolled);
        await service.Broker.Publish(strictSession);
        await service.Broker.Publish(Scheduled(clinic, otherProgram, Guid.NewGuid(), null, -2, elsewhere));
        await WaitForProgram(clinic, strictProgram);
        await WaitForProgram(clinic, otherProgram);
        var joining = new SessionParticipantAdded(Guid.CreateVersion7(), clinic, strictSession.SessionId, joined, strictSession.StartsAt, strictSession.EndsAt, "UTC");
        await service.Broker.Publish(joining);
        await service.Consumed.WaitFor(joining.EventId, times: 1);

        var put = await service.ClientFor(clinic).PutAsJsonAsync(Url(strictProgram), new { consecutiveMisses = 3, consecutiveMissesHigh = 4 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = (await put.Content.ReadFromJsonAsync<SettingsView>())!;
        Assert.Equal((false, 3, 4, 3, 0.75m), (saved.IsDefault, saved.Settings.ConsecutiveMisses, saved.Settings.ConsecutiveMissesHigh,
            saved.Settings.MissesInWindow, saved.Settings.AttendanceThreshold));

        foreach (var patient in new[] { enrolled, joined, elsewhere })
        {
            await service.Broker.Publish(Missed(clinic, patient, 3));
            var second = Missed(clinic, patient, 1);
            await service.Broker.Publish(second);
            await service.Consumed.WaitFor(second.EventId, times: 3);
        }

        await service.WaitForRisk(clinic, elsewhere, r => r.Level == "moderate", "the default program raised by two misses in a row");
        Assert.Equal("none", (await service.RiskOf(clinic, enrolled))!.Level);
        Assert.Equal("none", (await service.RiskOf(clinic, joined))!.Level);

        await service.Broker.Publish(Missed(clinic, enrolled, 0.5));
        var third = await service.WaitForRisk(clinic, enrolled, r => r.Level == "moderate", "the strict program raised by the third miss in a row");
        Assert.Contains("3 sessions missed in a row", Assert.Single(third.Signals, s => s.Rule == "consecutiveMisses").Explanation);
    }

    [Fact]
    public async Task A_program_without_settings_of_its_own_shows_the_defaults()
    {
        var (clinic, program) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Scheduled(clinic, program, null, null, -1, Guid.NewGuid()));

        var settings = (await (await WaitForProgram(clinic, program)).Content.ReadFromJsonAsync<SettingsView>())!;

        Assert.Equal((true, 2, 28, true), (settings.IsDefault, settings.Settings.ConsecutiveMisses, settings.Settings.WindowDays, settings.Settings.SuggestFamilyInvolvement));
    }

    [Theory]
    [InlineData("""{ "consecutiveMisses": 1 }""", "consecutiveMisses")]
    [InlineData("""{ "consecutiveMisses": 4, "consecutiveMissesHigh": 3 }""", "consecutiveMissesHigh")]
    [InlineData("""{ "attendanceThreshold": 1.5 }""", "attendanceThreshold")]
    [InlineData("""{ "windowDays": 3 }""", "windowDays")]
    [InlineData("""{ "homeworkOverdueDays": -1 }""", "homeworkOverdueDays")]
    [InlineData("""{ "technicalDifficultyAbsences": 0 }""", "technicalDifficultyAbsences")]
    public async Task Settings_out_of_range_are_rejected_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var (clinic, program) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Scheduled(clinic, program, null, null, -1, Guid.NewGuid()));
        await WaitForProgram(clinic, program);

        var response = await service.ClientFor(clinic).PutAsync(Url(program), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await service.Count("program_pattern_settings", clinic));
    }

    [Fact]
    public async Task Another_clinics_program_is_not_found_and_nothing_is_written()
    {
        var (clinic, program) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Scheduled(clinic, program, null, null, -1, Guid.NewGuid()));
        await WaitForProgram(clinic, program);
        var otherClinic = Guid.NewGuid();
        var other = service.ClientFor(otherClinic);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Url(program))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync(Url(program), new { consecutiveMisses = 3 })).StatusCode);
        Assert.Equal(0, await service.Count("program_pattern_settings", otherClinic));
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync(Url(program))).StatusCode);
    }

    sealed record SettingsView(Guid ProgramId, bool IsDefault, Settings Settings);

    sealed record Settings(int ConsecutiveMisses, int ConsecutiveMissesHigh, int MissesInWindow, int WindowDays, decimal AttendanceThreshold, bool SuggestFamilyInvolvement);
}
