using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class PoisonMessageTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    const string SessionMissedExchange = "VirtualIop.Contracts.Attendance:SessionMissed";

    [Fact]
    public async Task Messages_that_cannot_be_handled_end_in_the_error_queue_and_the_ones_behind_them_are_still_handled()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        await service.Broker.PublishRaw(SessionMissedExchange, "{ this is not json");
        await service.Broker.Publish(new SessionMissed(Guid.CreateVersion7(), Guid.Empty, Guid.NewGuid(), patient, now.AddHours(-1), "UTC", now));
        await service.Broker.Publish(new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "UTC", now));

        Assert.Single(await service.WaitForFollowUps(clinic, patient, 1));
        var errorQueue = await RabbitMq.WaitForMessageCountAsync(RabbitMqBroker.VirtualHostOf(service.BrokerUri),
            EngagementService.ConsumerQueue + "_error", atLeast: 2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, errorQueue);
    }
}
