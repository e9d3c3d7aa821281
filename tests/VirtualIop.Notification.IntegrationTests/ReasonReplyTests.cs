using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using VirtualIop.Contracts.Notification;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// After an N, the patient is asked by text what kept them away, with a numbered menu in their language; a number
/// answers it once, tells Attendance (AbsenceReasonGivenByReply), and a technical answer opens a ticket at a real
/// help-desk listener.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed partial class ReasonReplyTests(ReasonReplyTests.TextingWithHelpDesk texting) : IClassFixture<ReasonReplyTests.TextingWithHelpDesk>
{
    const string ReasonType = "VirtualIop.Contracts.Notification.AbsenceReasonGivenByReply";

    readonly NotificationService service = texting.Service;

    /// <summary>One service for the class, texting through a provider listener and opening tickets at a help-desk listener.</summary>
    public sealed class TextingWithHelpDesk(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
    {
        readonly RecordingHttpServer provider = new();

        public RecordingHttpServer HelpDesk { get; } = new();

        public NotificationService Service { get; } = new(postgres, rabbitMq, smtp);

        public async Task InitializeAsync()
        {
            Service.SmsProviderUrl = provider.BaseUrl;
            Service.HelpDeskWebhookUrl = HelpDesk.BaseUrl + "/tickets";
            await Service.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            await provider.DisposeAsync();
            await HelpDesk.DisposeAsync();
        }
    }

    /// <summary>A patient reachable by text, in <paramref name="language"/>, whose first reminder of an upcoming session went out by SMS.</summary>
    async Task<(Guid Clinic, Guid Patient, string Phone, SessionScheduled Session)> RemindedByText(string language = "en")
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        await service.RegisterPreferences(clinic, patient, new { phone, channels = new[] { "sms" }, timeZone = "America/New_York", language });
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "America/New_York",
            [patient]);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");
        await service.Dispatcher.RunOnce(startsAt - NotificationService.FirstOffset, default);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Any(x => x.Status == "sent"), "the first reminder texted");
        return (clinic, patient, phone, session);
    }

    static async Task<string[]> Texts(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Message().Matches(await response.Content.ReadAsStringAsync()).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
    }

    Task<int> ReasonsInOutbox(Guid clinic) =>
        service.CountWhere("outbox_message", "message_type = @Type and body->>'clinicId' = @Clinic", new { Type = ReasonType, Clinic = clinic.ToString() });

    [Theory]
    [InlineData("en", "what kept you away? Reply 1 tech problems")]
    [InlineData("es", "¿qué le impide venir? Responda 1 problemas técnicos")]
    public async Task N_is_answered_with_the_makeup_link_and_then_one_text_asking_the_reason_with_a_numbered_menu(string language, string question)
    {
        var (clinic, _, phone, session) = await RemindedByText(language);

        var texts = await Texts(await service.ReceiveSms(clinic, phone, "N"));
        var again = await Texts(await service.ReceiveSms(clinic, phone, "N"));

        Assert.Equal(2, texts.Length);
        Assert.Contains($"{NotificationService.PortalUrl}/p/", texts[0]);
        Assert.Contains("next=/patient/makeups", texts[0]);
        Assert.Contains(question, texts[1]);
        Assert.EndsWith(language == "es" ? "6 otro" : "6 other", texts[1]);
        Assert.Single(again);
    }

    [Fact]
    public async Task A_1_after_N_gives_the_reason_technical_difficulty_once_and_opens_a_help_desk_ticket()
    {
        var (clinic, patient, phone, session) = await RemindedByText();
        await service.ReceiveSms(clinic, phone, "N");

        var answer = await Texts(await service.ReceiveSms(clinic, phone, "1"));
        var second = await Texts(await service.ReceiveSms(clinic, phone, "1"));

        Assert.Contains("thank you for telling us", Assert.Single(answer));
        Assert.Contains("not waiting for an answer", Assert.Single(second));
        var given = Assert.Single(await service.Broker.WaitFor<AbsenceReasonGivenByReply>(e => e.SessionId == session.SessionId, count: 1));
        Assert.Equal((clinic, patient, "technicalDifficulty", "sms"), (given.ClinicId, given.PatientId, given.ReasonCategory, given.Channel));
        Assert.Equal(1, await ReasonsInOutbox(clinic));
        var ticket = Assert.Single(await Eventually.Until(() => Task.FromResult(texting.HelpDesk.Requests
            .Where(r => r.Body.Contains(session.SessionId.ToString(), StringComparison.Ordinal)).ToList()), r => r.Count >= 1, "a help-desk ticket"));
        using var json = JsonDocument.Parse(ticket.Body);
        Assert.Equal((patient, "technicalDifficulty", "reasonReply"), (json.RootElement.GetProperty("patientId").GetGuid(),
            json.RootElement.GetProperty("reason").GetString(), json.RootElement.GetProperty("source").GetString()));
        Assert.DoesNotContain(phone, ticket.Body);
        var deliveries = await service.WaitForPatientDeliveries(clinic, patient, d => d.Any(x => x.Kind == "technicalSupport"), "technical help queued");
        Assert.Single(deliveries, d => d.Kind == "helpDeskTicket");
    }

    [Fact]
    public async Task A_3_after_N_gives_illness_and_opens_no_ticket()
    {
        var (clinic, _, phone, session) = await RemindedByText();
        await service.ReceiveSms(clinic, phone, "N");

        await service.ReceiveSms(clinic, phone, "3.");

        var given = Assert.Single(await service.Broker.WaitFor<AbsenceReasonGivenByReply>(e => e.SessionId == session.SessionId, count: 1));
        Assert.Equal("illness", given.ReasonCategory);
        Assert.DoesNotContain(texting.HelpDesk.Requests, r => r.Body.Contains(session.SessionId.ToString(), StringComparison.Ordinal));
        Assert.Equal(0, await service.CountWhere("delivery", "clinic_id = @Clinic and kind in ('technicalSupport', 'helpDeskTicket')", new { Clinic = clinic }));
    }

    [Fact]
    public async Task A_number_with_no_question_waiting_is_answered_politely_and_changes_nothing()
    {
        var (clinic, _, phone, _) = await RemindedByText("es");

        var texts = await Texts(await service.ReceiveSms(clinic, phone, "1"));

        Assert.Contains("no esperamos ninguna respuesta", Assert.Single(texts));
        Assert.Contains($"{NotificationService.PortalUrl}/p/", texts[0]);
        Assert.Contains("next=/patient/technical-check", texts[0]);
        Assert.Equal(0, await ReasonsInOutbox(clinic));
        Assert.Equal(0, await service.Count("session_reply", clinic));
        Assert.Equal(0, await service.CountWhere("delivery", "clinic_id = @Clinic and kind in ('technicalSupport', 'helpDeskTicket')", new { Clinic = clinic }));
    }

    [Fact]
    public async Task A_number_after_the_reply_window_has_passed_is_answered_politely_and_changes_nothing()
    {
        var (clinic, _, phone, _) = await RemindedByText();
        await service.ReceiveSms(clinic, phone, "N");
        // As if Notification:ReasonReplyWindow (24 h) had passed since the question.
        await service.Execute("update reason_question set expires_at = now() - interval '1 second' where clinic_id = @Clinic", new { Clinic = clinic });

        var texts = await Texts(await service.ReceiveSms(clinic, phone, "2"));

        Assert.Contains("not waiting for an answer", Assert.Single(texts));
        Assert.Equal(0, await ReasonsInOutbox(clinic));
        Assert.Equal(0, await service.CountWhere("reason_question", "clinic_id = @Clinic and answered_at is not null", new { Clinic = clinic }));
    }

    [GeneratedRegex("<Message>(.*?)</Message>", RegexOptions.Singleline)]
    private static partial Regex Message();
}
