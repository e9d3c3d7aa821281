using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// A signed text can be captured and posted again, and providers retry their webhooks: each provider message id
/// (MessageSid) is acted on once. A body is capped before it is read, and the signature is checked before anything else.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class InboundSmsReplayTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    const string DeclinedType = "VirtualIop.Contracts.Notification.SessionDeclinedByReply";

    readonly NotificationService service = new(postgres, rabbitMq, smtp);
    readonly RecordingHttpServer provider = new();

    public async Task InitializeAsync()
    {
        service.SmsProviderUrl = provider.BaseUrl;
        await service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await provider.DisposeAsync();
    }

    /// <summary>Posts a text as the provider would, signed, with the message id given (the same one for a replay).</summary>
    Task<HttpResponseMessage> Text(Guid clinic, string messageSid, string from, string body) =>
        Post(clinic, new Dictionary<string, string>
        {
            ["MessageSid"] = messageSid, ["AccountSid"] = NotificationService.SmsAccountSid, ["From"] = from, ["To"] = NotificationService.SmsFromNumber,
            ["Body"] = body
        });

    async Task<HttpResponseMessage> Post(Guid clinic, Dictionary<string, string> form, bool signed = true)
    {
        var path = $"/api/notification/sms/inbound/{clinic}";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (signed)
            request.Headers.Add("X-Twilio-Signature", InboundSmsSignature.Compute(NotificationService.SmsAuthToken, NotificationService.PublicBaseUrl + path, form));
        return await service.AnonymousClient().SendAsync(request);
    }

    static string NewSid() => $"SM{Guid.NewGuid():N}";

    static string NewPhone() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999);

    Task<int> DeclinesInOutbox(Guid sessionId) =>
        service.CountWhere("outbox_message", "message_type = @Type and body->>'sessionId' = @Session", new { Type = DeclinedType, Session = sessionId.ToString() });

    async Task<IReadOnlyList<string?>> OptedOut(Guid clinic, Guid patient) =>
        (await service.ClientFor(clinic).GetFromJsonAsync<JsonElement>($"/api/notification/patients/{patient}/contact"))
            .GetProperty("optedOut").EnumerateArray().Select(c => c.GetString()).ToList();

    [Fact]
    public async Task The_same_signed_N_posted_twice_declines_once_even_when_another_session_is_next_by_then()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var phone = NewPhone();
        await service.RegisterPreferences(clinic, patient, new { phone, channels = new[] { "sms" }, timeZone = "America/New_York" });
        var first = await Schedule(clinic, patient, DateTimeOffset.UtcNow.AddMinutes(10));
        var second = await Schedule(clinic, patient, first.StartsAt.AddMinutes(1));
        // Both sessions' first reminders go out by text in one pass.
        await service.Dispatcher.RunOnce(second.StartsAt - NotificationService.FirstOffset, default);
        await service.WaitForPatientDeliveries(clinic, patient, d => d.Count(x => x.Status == "sent") == 2, "both first reminders texted");
        var captured = NewSid();

        Assert.Equal(HttpStatusCode.OK, (await Text(clinic, captured, phone, "N")).StatusCode);
        Assert.Equal(1, await DeclinesInOutbox(first.SessionId));
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, first.SessionId, first.StartsAt, first.TimeZone, "clinicianUnavailable");
        await service.Broker.Publish(cancelled);
        await service.Consumed.WaitFor(cancelled.EventId, times: 1);

        var replay = await Text(clinic, captured, phone, "N");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.DoesNotContain("<Message>", await replay.Content.ReadAsStringAsync());
        Assert.Equal(0, await DeclinesInOutbox(second.SessionId));
        Assert.Equal(1, await DeclinesInOutbox(first.SessionId));
        // A new N, with its own message id, is the patient's own answer about the session that is now next.
        await Text(clinic, NewSid(), phone, "N");
        Assert.Equal(1, await DeclinesInOutbox(second.SessionId));
    }

    [Fact]
    public async Task A_replayed_STOP_does_not_opt_out_again_a_patient_who_texted_START_since()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var phone = NewPhone();
        await service.RegisterPreferences(clinic, patient, new { email = $"p-{patient:N}@example.test", phone });
        var stop = NewSid();
        await Text(clinic, stop, phone, "STOP");
        await Text(clinic, NewSid(), phone, "START");

        var replay = await Text(clinic, stop, phone, "STOP");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.DoesNotContain("<Message>", await replay.Content.ReadAsStringAsync());
        Assert.Empty(await OptedOut(clinic, patient));
        Assert.Equal(2, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task A_body_over_16_KB_is_refused_unread_and_an_unsigned_one_is_401_before_its_size_matters()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var phone = NewPhone();
        await service.RegisterPreferences(clinic, patient, new { email = $"p-{patient:N}@example.test", phone });
        var oversized = new Dictionary<string, string>
        {
            ["MessageSid"] = NewSid(), ["From"] = phone, ["To"] = NotificationService.SmsFromNumber, ["Body"] = "STOP", ["Padding"] = new string('x', 17 * 1024)
        };

        var signed = await Post(clinic, oversized);
        var unsigned = await Post(clinic, oversized, signed: false);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, signed.StatusCode);
        Assert.Equal("application/problem+json", signed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Empty(await OptedOut(clinic, patient));
        Assert.Equal(0, await service.Count("inbound_sms", clinic));
    }

    [Fact]
    public async Task A_signed_text_without_its_message_id_is_a_400_naming_it()
    {
        var clinic = Guid.NewGuid();
        var phone = NewPhone();
        await service.RegisterPreferences(clinic, Guid.NewGuid(), new { phone });

        var response = await Post(clinic, new Dictionary<string, string> { ["From"] = phone, ["Body"] = "STOP" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("MessageSid", out _));
        Assert.Equal(0, await service.OptOutChangesFor(clinic));
    }

    async Task<SessionScheduled> Schedule(Guid clinic, Guid patient, DateTimeOffset startsAt)
    {
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "America/New_York",
            [patient]);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");
        return session;
    }
}
