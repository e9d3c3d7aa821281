using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class InboundSmsRetentionTests(NotificationService service) : IClassFixture<NotificationService>
{
    [Fact]
    public async Task Inbound_text_ids_are_forgotten_once_older_than_the_retention_and_younger_ones_kept()
    {
        var clinic = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var (old, young) = ($"SM-old-{clinic:N}", $"SM-young-{clinic:N}");
        await service.Execute("""
            insert into inbound_sms (provider_message_id, clinic_id, received_at)
            values (@Old, @Clinic, @OldAt), (@Young, @Clinic, @YoungAt)
            """, new { Old = old, Young = young, Clinic = clinic, OldAt = now - TimeSpan.FromDays(91), YoungAt = now - TimeSpan.FromDays(89) });

        await service.InboundSmsRetention.RunOnce(now, CancellationToken.None);

        Assert.Equal([young], await service.Query<string>("select provider_message_id from inbound_sms where clinic_id = @Clinic", new { Clinic = clinic }));
    }
}
