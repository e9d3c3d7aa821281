using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// A mail server's replies quote the recipient's address. What the service logs and stores about a failed send keeps a
/// reason code (smtp.mailbox_unavailable), never that text.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class PhiInLogsTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp) { Logs = new CapturedLogs() };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => service.DisposeAsync();

    [Fact]
    public async Task A_refusing_mail_server_quoting_the_address_leaves_it_in_no_log_line_and_no_stored_detail()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var address = $"patient-{patient:N}@example.org";
        // First a deferral, then a refusal, both quoting the address, as real relays word them.
        await using var relay = new ScriptedSmtpServer($"452 4.2.2 <{address}>: mailbox full, try again later",
            $"550 5.1.1 <{address}>: mailbox unavailable");
        service.SmtpServer = ("127.0.0.1", relay.Port);
        await service.InitializeAsync();
        await service.RegisterPreferences(clinic, patient, new { email = address });
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now);

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "failed" }], "the outreach failed"));
        Assert.Equal(2, relay.Connections);
        Assert.Contains("smtp.mailbox_unavailable", delivery.Detail);
        var logs = service.Logs!.Lines;
        Assert.Contains(logs, line => line.Contains("smtp.insufficient_storage"));
        Assert.Contains(logs, line => line.Contains("smtp.mailbox_unavailable"));
        Assert.DoesNotContain(logs, line => line.Contains(address, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await StoredTextsQuoting(address));
    }

    /// <summary>Every text column of every row of the service's own tables that holds the address, outside where it belongs (the contact).</summary>
    async Task<IReadOnlyList<string>> StoredTextsQuoting(string address) =>
        await service.Query<string>("""
            select 'delivery ' || id || ': ' || coalesce(detail, '') from delivery where detail ilike '%' || @Address || '%'
            union all
            select 'outbox ' || id || ': ' || body::text from outbox_message where body::text ilike '%' || @Address || '%'
            """, new { Address = address });
}
