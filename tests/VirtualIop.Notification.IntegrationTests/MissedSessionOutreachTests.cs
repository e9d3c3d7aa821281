using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class MissedSessionOutreachTests(NotificationService service, SmtpSink smtp) : IClassFixture<NotificationService>
{
    static SessionMissed Missed(Guid clinic, Guid patient, string timeZone = "America/Chicago")
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), timeZone, now);
    }

    [Fact]
    public async Task A_missed_session_brings_a_supportive_we_missed_you_email()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var mail = await smtp.WaitForMessageAsync(email);
        var body = await smtp.GetPlainTextAsync(mail);
        Assert.StartsWith("We missed you", mail.Subject);
        var localStart = TimeZoneInfo.ConvertTime(missed.SessionStartsAt, TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));
        Assert.Contains($"{localStart:HH:mm} (America/Chicago)", body);
        NotificationService.PersonalLinkToken(body, $"/patient/catch-up/{missed.SessionId}");
        foreach (var punitive in new[] { "violat", "policy", "penalt", "warning", "unexcused", "no-show", "absence" })
        {
            Assert.DoesNotContain(punitive, mail.Subject + body, StringComparison.OrdinalIgnoreCase);
        }
        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the outreach marked sent"));
        Assert.Equal(("missedSession", patient), (delivery.Kind, delivery.PatientId));
    }

    [Fact]
    public async Task The_same_missed_session_event_delivered_twice_sends_one_email()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, times: 2);
        await smtp.WaitForMessageAsync(email);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        Assert.Single(await smtp.MessagesToAsync(email));
        Assert.Single(await service.Deliveries(clinic, missed.SessionId));
    }

    [Fact]
    public async Task A_patient_without_an_email_address_is_skipped_and_the_reason_recorded()
    {
        var clinic = Guid.NewGuid();
        var missed = Missed(clinic, Guid.NewGuid());

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "skipped" }], "the outreach skipped"));
        Assert.Contains("No email address", delivery.Detail);
    }

    [Fact]
    public async Task The_patients_who_missed_one_session_are_reached_side_by_side_while_a_report_about_the_session_waits_for_them()
    {
        var clinic = Guid.NewGuid();
        var (first, second) = (Missed(clinic, Guid.NewGuid()), Missed(clinic, Guid.NewGuid()));
        second = second with { SessionId = first.SessionId };
        var email = await service.RegisterContact(clinic, second.PatientId);

        // The first patient's outreach, mid-transaction, holding the session as a miss does.
        await using var inFlight = await service.OpenDatabase();
        await using var firstMiss = await inFlight.BeginTransactionAsync();
        await SessionCopy.Share(inFlight, firstMiss, clinic, first.SessionId, default);

        await service.Broker.Publish(second);
        await smtp.WaitForMessageAsync(email);

        await using var report = await service.OpenDatabase();
        await using var reportTx = await report.BeginTransactionAsync();
        await new NpgsqlCommand("set local lock_timeout = '200ms'", report, reportTx).ExecuteNonQueryAsync();
        var waited = await Assert.ThrowsAsync<PostgresException>(() => SessionCopy.Hold(report, reportTx, clinic, first.SessionId, default));
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, waited.SqlState);
    }
}
