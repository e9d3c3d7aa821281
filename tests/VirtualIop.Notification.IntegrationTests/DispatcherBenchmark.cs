using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using VirtualIop.Notification.Domain;
using VirtualIop.TestSupport;
using Xunit.Abstractions;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// The dispatcher against a plain MailKit loop, in one run, to the same real smtp4dev: N reminders queued as due rows,
/// sent by the service's own dispatcher (claim, render, send over reused connections, record with ReminderSent), then
/// the same N messages sent by one MailKit client in a loop. It prints both rates and their ratio, and asserts only
/// correctness: every reminder delivered once, none twice. N is VIRTUALIOP_NOTIFICATION_BENCH_COUNT (default 2,000 so
/// the suite stays quick; the 20,000 figure comes from a manual run with the variable set).
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class DispatcherBenchmark(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp, ITestOutputHelper output) : IAsyncLifetime
{
    const string CountVariable = "VIRTUALIOP_NOTIFICATION_BENCH_COUNT";
    const string TimeZone = "America/New_York";

    readonly NotificationService service = new(postgres, rabbitMq, smtp);
    PrivateMailSink sink = null!;

    static int Count => Setting(CountVariable, 2_000);

    /// <summary>Senders per pass (VIRTUALIOP_NOTIFICATION_BENCH_PARALLELISM, default 4) and claim batch (…_BATCH, default 200).</summary>
    static int Parallelism => Setting("VIRTUALIOP_NOTIFICATION_BENCH_PARALLELISM", 4);

    static int Batch => Setting("VIRTUALIOP_NOTIFICATION_BENCH_BATCH", 200);

    static int Setting(string variable, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(variable), out var n) && n > 0 ? n : fallback;

    public async Task InitializeAsync()
    {
        sink = await PrivateMailSink.Start();
        service.SmtpServer = ("127.0.0.1", sink.SmtpPort);
        service.DispatchBatchSize = Batch;
        service.DispatchParallelism = Parallelism;
        service.DispatchInterval = TimeSpan.FromHours(1); // the hosted pass stays idle: the benchmark drives the dispatcher itself
        await service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await sink.DisposeAsync();
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task The_dispatcher_sends_every_due_reminder_once_and_reports_its_rate_against_a_plain_MailKit_loop()
    {
        var count = Count;
        var clinic = Guid.NewGuid();
        var sessionId = Guid.NewGuid();
        var startsAt = DateTimeOffset.UtcNow.AddHours(2);
        await service.Execute("""
            with p as (select n, gen_random_uuid() as id from generate_series(1, @Count) as n),
            c as (
                insert into contact (clinic_id, patient_id, email, channels, updated_at)
                select @Clinic, id, 'bench-' || n || '@bench.example.test', '{email}', now() from p
                returning patient_id
            )
            insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, reminder_offset, session_starts_at, time_zone,
                                  due_at, status, created_at)
            select gen_random_uuid(), @Clinic, patient_id, @Session, 'reminder', 'email', interval '2 hours', @StartsAt, @TimeZone,
                   now() - interval '1 second', 'pending', now()
            from c
            """, new { Count = count, Clinic = clinic, Session = sessionId, StartsAt = startsAt, TimeZone });

        var message = MessageTemplates.Render(DeliveryKind.Reminder, new MessageFacts(
            MessageTemplates.DescribeSessionTime(startsAt, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)),
            PatientLinks.Build(NotificationService.PortalUrl, PatientLinks.Encode(new byte[PatientLinks.TokenBytes]), PatientLinks.PagePath(PatientPage.Sessions))));
        // Both paths start warm: smtp4dev and MailKit have handled mail, and the dispatcher has run a pass, before the clocks start.
        await PlainLoop(200, message);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddYears(-1), default);
        await WaitForSink(200);
        await sink.Clear();

        var dispatcher = service.Dispatcher;
        var clock = Stopwatch.StartNew();
        var passes = 0;
        for (int sent; (sent = await dispatcher.RunOnce(DateTimeOffset.UtcNow, default)) > 0;) passes++;
        clock.Stop();
        var dispatcherTime = clock.Elapsed;

        await WaitForSink(count);
        var recipients = await sink.Recipients();
        Assert.Equal(count, recipients.Count);
        Assert.Equal(count, recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(count, await service.CountWhere("delivery", "clinic_id = @Clinic and status = 'sent' and attempts = 1", new { Clinic = clinic }));
        await sink.Clear();

        clock.Restart();
        await PlainLoop(count, message);
        clock.Stop();
        var plainTime = clock.Elapsed;
        await WaitForSink(count);

        var dispatcherRate = count / dispatcherTime.TotalSeconds;
        var plainRate = count / plainTime.TotalSeconds;
        var report = $"""
            Notification dispatcher benchmark, {count:N0} due reminders to smtp4dev (batch {Batch}, {Parallelism} parallel senders, {passes} passes):
              dispatcher:        {dispatcherTime.TotalSeconds,8:F1} s  {dispatcherRate,8:F0} msg/s
              plain MailKit loop:{plainTime.TotalSeconds,8:F1} s  {plainRate,8:F0} msg/s
              ratio dispatcher / plain: {dispatcherRate / plainRate:F2}x (goal >= 0.5x); duplicates: 0
            """;
        output.WriteLine(report);
        Console.WriteLine(report);
        BenchmarkReport.Write(output, BenchmarkReport.Rate("dispatcher", dispatcherRate, plainRate, "msg/s"));
    }

    /// <summary>The same messages, one MailKit client, one connection, one after another.</summary>
    async Task PlainLoop(int count, RenderedMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", sink.SmtpPort, SecureSocketOptions.None);
        for (var n = 1; n <= count; n++)
        {
            var mail = new MimeMessage();
            mail.From.Add(new MailboxAddress("VirtualIop", "care@virtualiop.local"));
            mail.To.Add(MailboxAddress.Parse($"bench-{n}@bench.example.test"));
            mail.Subject = message.Subject;
            mail.Body = new TextPart("plain") { Text = message.Body };
            await client.SendAsync(mail);
        }
        await client.DisconnectAsync(quit: true);
    }

    Task WaitForSink(int count) =>
        Eventually.Until(sink.Count, n => n >= count, $"{count} messages in the sink", TimeSpan.FromMinutes(5));
}
