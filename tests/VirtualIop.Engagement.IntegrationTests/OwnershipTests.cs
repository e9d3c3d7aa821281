using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class OwnershipTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static readonly object Content = new { keyPoints = new[] { "Grounding" } };

    [Fact]
    public async Task Content_for_a_session_the_clinic_never_scheduled_is_404_saying_the_session_is_unknown_and_writes_nothing()
    {
        var (clinic, other, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await service.KnowSession(clinic, session);

        var othersSession = await service.ClientFor(other).PutAsJsonAsync($"/api/engagement/sessions/{session}/content", Content);
        var neverScheduled = await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{Guid.NewGuid()}/content", Content);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (othersSession.StatusCode, neverScheduled.StatusCode));
        var problem = await othersSession.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("session", problem.GetProperty("resource").GetString());
        Assert.Contains("unknown to Engagement", problem.GetProperty("detail").GetString());
        Assert.Equal((0, 0), (await service.Count("session_content", other), await service.Count("session_content", clinic)));
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{session}/content", Content)).StatusCode);
    }

    [Fact]
    public async Task Pattern_settings_for_a_program_never_created_are_404_and_a_created_program_without_sessions_takes_them()
    {
        var (clinic, program) = (Guid.NewGuid(), Guid.NewGuid());
        var url = $"/api/engagement/programs/{program}/pattern-settings";

        var before = await service.ClientFor(clinic).PutAsJsonAsync(url, new { consecutiveMisses = 3 });
        await service.CreateProgram(clinic, program);
        var after = await service.ClientFor(clinic).PutAsJsonAsync(url, new { consecutiveMisses = 3 });

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("program", (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resource").GetString());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, await service.Count("program_pattern_settings", clinic));
    }

    [Fact]
    public async Task A_program_is_known_once_whichever_of_ProgramCreated_and_SessionScheduled_arrives_first()
    {
        var clinic = Guid.NewGuid();
        var (sessionFirst, createdFirst) = (Guid.NewGuid(), Guid.NewGuid());

        var scheduled = Scheduled(clinic, sessionFirst, null, null, -1, Guid.NewGuid());
        await service.Broker.Publish(scheduled);
        await service.Consumed.WaitFor(scheduled.EventId, times: 1);
        await service.CreateProgram(clinic, sessionFirst);
        var created = await service.CreateProgram(clinic, createdFirst);
        var later = Scheduled(clinic, createdFirst, null, null, -1, Guid.NewGuid());
        await service.Broker.Publish(later);
        await service.Broker.Publish(created);
        await service.Consumed.WaitFor(later.EventId, times: 1);
        await service.Consumed.WaitFor(created.EventId, times: 2);

        await using var db = new NpgsqlConnection(service.ConnectionString);
        var known = await db.QueryAsync<Guid>("select program_id from programs where clinic_id = @Clinic", new { Clinic = clinic });
        Assert.Equal(new[] { sessionFirst, createdFirst }.Order(), known.Order());
        foreach (var program in new[] { sessionFirst, createdFirst })
            Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/programs/{program}/pattern-settings",
                new { consecutiveMisses = 3 })).StatusCode);
    }
}
