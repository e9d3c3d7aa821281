namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class RecordingWebhookEventRetentionTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Fact]
    public async Task Recording_webhook_event_ids_are_forgotten_once_older_than_the_retention_and_younger_ones_kept()
    {
        var (clinicId, _) = scheduling.NewRecordingWebhookClinic();
        var now = DateTimeOffset.UtcNow;
        await scheduling.AddRecordingWebhookEvent(clinicId, "evt-8-days", now - TimeSpan.FromDays(8));
        await scheduling.AddRecordingWebhookEvent(clinicId, "evt-7-days-less-a-minute", now - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        await scheduling.ForgetOldRecordingWebhookEvents(now);

        Assert.Equal(new[] { "evt-7-days-less-a-minute" }, await scheduling.RecordingWebhookEventIds(clinicId));
    }
}
