using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class FollowUpsTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public async Task A_missed_session_opens_a_follow_up_task_and_announces_it()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var missed = Missed(clinic, patient, 0.1, zone: "America/New_York");

        await service.Broker.Publish(missed);

        var task = Assert.Single(await service.WaitForFollowUps(clinic, patient, 1));
        Assert.Equal((missed.SessionId, "sessionMissed", "open"), (task.SessionId, task.Reason, task.Status));
        Assert.True(task.DueBy > missed.DetectedAt.AddHours(12), $"due by {task.DueBy}, the next business day");

        var byId = await service.ClientFor(clinic).GetFromJsonAsync<FollowUpView>($"/api/engagement/follow-ups/{task.Id}");
        Assert.Equal(task, byId);

        var announced = Assert.Single(await service.Broker.WaitFor<FollowUpTaskCreated>(e => e.ClinicId == clinic, 1));
        Assert.Equal((task.Id, patient, missed.SessionId, "sessionMissed"), (announced.TaskId, announced.PatientId, announced.SessionId, announced.Reason));
        Assert.Equal(missed.SessionId, announced.AboutSessionId);
    }

    [Fact]
    public async Task The_same_missed_session_event_delivered_twice_opens_one_task()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var missed = Missed(clinic, patient, 0.1, zone: "America/New_York");

        await service.Broker.Publish(missed);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, times: 6); // three consumers of SessionMissed, each twice

        Assert.Single(await service.FollowUpsOf(clinic, patient));
        Assert.Equal((1, 1), await service.RowsFor(clinic));
    }

    [Fact]
    public async Task Another_clinic_neither_finds_nor_lists_the_task()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.Broker.Publish(Missed(clinic, patient, 0.1, zone: "America/New_York"));
        var task = Assert.Single(await service.WaitForFollowUps(clinic, patient, 1));
        var otherClinic = service.ClientFor(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.GetAsync($"/api/engagement/follow-ups/{task.Id}")).StatusCode);
        Assert.Empty((await otherClinic.GetFromJsonAsync<List<FollowUpView>>($"/api/engagement/follow-ups?patientId={patient}"))!);
    }

    [Fact]
    public async Task Calls_without_a_token_are_unauthorized()
    {
        var client = service.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/engagement/follow-ups")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/engagement/follow-ups/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("status=closedForever", "status")]
    [InlineData("patientId=not-a-guid", "patientId")]
    public async Task A_filter_that_makes_no_sense_is_rejected_naming_the_field(string query, string field)
    {
        var response = await service.ClientFor(Guid.NewGuid()).GetAsync($"/api/engagement/follow-ups?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Open_tasks_can_be_listed_by_status()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.Broker.Publish(Missed(clinic, patient, 0.1, zone: "America/New_York"));
        await service.WaitForFollowUps(clinic, patient, 1);

        var open = await service.ClientFor(clinic).GetFromJsonAsync<List<FollowUpView>>("/api/engagement/follow-ups?status=open");

        Assert.Equal(patient, Assert.Single(open!).PatientId);
    }
}
