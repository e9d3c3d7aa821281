using System.Net;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Notification;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Workers;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// At most one message per delivery: a send whose outcome cannot be known is recorded as unknown and never repeated,
/// whatever the provider stalls, the leases and the replicas do.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class AtMostOnceTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => service.DisposeAsync();

    static string MessageIdOf(Guid deliveryId) => $"{deliveryId:N}@virtualiop.local";

    [Fact]
    public async Task A_message_whose_DATA_step_stalled_is_recorded_unknown_and_never_sent_again()
    {
        await using var relay = new ScriptedSmtpServer(session => session == 1, TimeSpan.FromMinutes(5));
        service.SmtpServer = ("127.0.0.1", relay.Port);
        var (clinic, patient, _) = await service.InitializeWithNewPatient();
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now);

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "unknown" }], "the outreach unknown"));
        Assert.Equal(("unknown", "noAnswer", "email"), (delivery.State, delivery.Reason, delivery.Channel));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Equal((1, 1), (relay.Connections, relay.MessagesAccepted));
        Assert.Equal(MessageIdOf(delivery.Id), Assert.Single(relay.Mail).MessageId);
        Assert.Equal("unknown", Assert.Single(await service.Deliveries(clinic, missed.SessionId)).Status);
    }

    [Fact]
    public async Task A_text_whose_POST_timed_out_is_recorded_unknown_and_not_posted_again_and_carries_its_idempotency_key()
    {
        await using var provider = new RecordingHttpServer(TimeSpan.FromMinutes(5));
        service.SmsProviderUrl = provider.BaseUrl;
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterPreferences(clinic, patient, new { phone = "+15557654399" });
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now);

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "unknown" }], "the text unknown"));
        Assert.Equal(("noAnswer", "sms"), (delivery.Reason, delivery.Channel));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddHours(1), default);
        var post = Assert.Single(provider.Requests);
        Assert.Equal(delivery.Id.ToString(), post.Headers[HttpSubmission.IdempotencyKeyHeader]);
        Assert.Empty(service.Broker.Received<DeliveryFailed>(e => e.DeliveryId == delivery.Id));
    }

    [Fact]
    public async Task A_delivery_whose_sender_died_mid_send_becomes_unknown_when_its_lease_runs_out_and_is_not_sent_again()
    {
        service.DispatchInterval = TimeSpan.FromHours(1);
        var (clinic, session, emails) = await ScheduleWithContacts(patients: 1);
        var firstDue = session.StartsAt - NotificationService.FirstOffset;

        // A sender claims the first reminder, marks it in flight, and dies before the provider answers.
        var claimId = Guid.NewGuid();
        var reminder = Assert.Single(await service.Queue.Claim(claimId, firstDue, NotificationService.Lease, 10, default));
        Assert.True(await service.Queue.BeginAttempt(claimId, reminder.Id, Channel.Email, firstDue, NotificationService.Lease, default));

        Assert.Equal(0, await service.Dispatcher.RunOnce(firstDue + NotificationService.Lease / 2, default));
        Assert.Equal(0, await service.Dispatcher.RunOnce(firstDue + NotificationService.Lease + TimeSpan.FromSeconds(1), default));
        Assert.Equal(0, await service.Dispatcher.RunOnce(firstDue + NotificationService.Lease + TimeSpan.FromSeconds(2), default));

        var deliveries = await service.Deliveries(clinic, session.SessionId);
        Assert.Equal(["unknown", "pending"], deliveries.Select(d => d.Status));
        Assert.Equal(("interrupted", "email"), (deliveries[0].Reason, deliveries[0].Channel));
        Assert.Empty(await smtp.MessagesToAsync(emails[0]));

        // The sender was only slow: what it learns still counts, under its own claim.
        Assert.True(await service.Queue.Record(claimId, reminder, new DeliveryOutcome(DeliveryStatus.Sent, Channel.Email, null, [], SentAt: DateTimeOffset.UtcNow), default));
        Assert.Equal("sent", (await service.Deliveries(clinic, session.SessionId))[0].Status);
        Assert.Single(await service.Broker.WaitFor<ReminderSent>(e => e.DeliveryId == reminder.Id, 1));
    }

    [Fact]
    public async Task Three_replicas_against_a_relay_that_stalls_past_the_lease_with_one_killed_mid_pass_never_send_a_reminder_twice()
    {
        const int patients = 12;
        await using var relay = new ScriptedSmtpServer(session => session is 2 or 4 or 7, TimeSpan.FromSeconds(20));
        service.SmtpServer = ("127.0.0.1", relay.Port);
        service.DispatchInterval = TimeSpan.FromHours(1);
        service.DispatchBatchSize = 3;
        service.DispatchParallelism = 2;
        service.DispatchLease = TimeSpan.FromSeconds(4);
        service.SendTimeout = TimeSpan.FromSeconds(2);
        service.SmtpTimeout = TimeSpan.FromSeconds(10);
        var (clinic, session, _) = await ScheduleWithContacts(patients);
        var firstDue = session.StartsAt - NotificationService.FirstOffset;
        var start = DateTimeOffset.UtcNow;
        DateTimeOffset Now() => firstDue + (DateTimeOffset.UtcNow - start);

        using var killed = new CancellationTokenSource();
        using var finished = new CancellationTokenSource();
        var replicas = new[] { service.NewReplica(), service.NewReplica(), service.NewReplica() };
        var running = replicas.Select((replica, n) => Task.Run(() => KeepDispatching(replica, Now, n == 0 ? killed.Token : CancellationToken.None, finished.Token)))
            .ToList();

        await Eventually.Until(() => Task.FromResult(relay.MessagesAccepted), n => n >= 3, "the first messages");
        await killed.CancelAsync();
        var settled = await Eventually.Until(() => service.Deliveries(clinic, session.SessionId),
            d => d.Where(IsFirstReminder(session)).All(r => r.Status is not ("pending" or "sending")), "every first reminder settled", TimeSpan.FromMinutes(2));
        await finished.CancelAsync();
        await Task.WhenAll(running);

        var reminders = settled.Where(IsFirstReminder(session)).ToList();
        Assert.Equal(patients, reminders.Count);
        var mail = relay.Mail;
        Assert.Equal(mail.Count, mail.Select(m => m.Recipient).Distinct().Count());
        Assert.Equal(mail.Count, mail.Select(m => m.MessageId).Distinct().Count());
        foreach (var reminder in reminders)
        {
            var copies = mail.Count(m => m.MessageId == MessageIdOf(reminder.Id));
            Assert.True(reminder.Status switch { "sent" => copies == 1, "unknown" => copies <= 1, _ => false },
                $"reminder {reminder.Id} is {reminder.Status} with {copies} copies in the relay");
        }
        Assert.True(relay.Stalled > 0, "the relay stalled at least one session");
        Assert.Contains(reminders, r => r.Status == "unknown");
        var sent = reminders.Where(r => r.Status == "sent").Select(r => r.Id).ToHashSet();
        Assert.Equal(sent.Count, (await service.Broker.WaitFor<ReminderSent>(e => sent.Contains(e.DeliveryId), sent.Count)).Count);
    }

    static Func<DeliveryView, bool> IsFirstReminder(SessionScheduled session) =>
        d => d.Kind == "reminder" && d.DueAt < session.StartsAt - (NotificationService.FirstOffset + NotificationService.SecondOffset) / 2;

    /// <summary>One replica's loop: a pass, then a short pause, until the test is done or the replica is killed.</summary>
    static async Task KeepDispatching(DeliveryDispatcher replica, Func<DateTimeOffset> now, CancellationToken killed, CancellationToken finished)
    {
        while (!killed.IsCancellationRequested && !finished.IsCancellationRequested)
        {
            try
            {
                await replica.RunOnce(now(), killed);
                await Task.Delay(TimeSpan.FromMilliseconds(100), killed);
            }
            catch (OperationCanceledException) when (killed.IsCancellationRequested)
            {
                return;
            }
        }
    }

    async Task<(Guid Clinic, SessionScheduled Session, IReadOnlyList<string> Emails)> ScheduleWithContacts(int patients)
    {
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patientIds = Enumerable.Range(0, patients).Select(_ => Guid.NewGuid()).ToArray();
        var emails = await Task.WhenAll(patientIds.Select(p => service.RegisterContact(clinic, p)));
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/London", patientIds);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2 * patients, $"{2 * patients} planned reminders");
        return (clinic, session, emails);
    }
}
