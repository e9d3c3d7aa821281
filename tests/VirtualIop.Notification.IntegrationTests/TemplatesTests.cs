using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class TemplatesTests(NotificationService service, SmtpSink smtp) : IClassFixture<NotificationService>
{
    Task<HttpResponseMessage> Put(Guid clinic, string path, object body) =>
        service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/templates/{path}", body);

    static async Task<JsonElement> Errors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task A_clinic_wording_is_used_for_its_own_patients_messages_only()
    {
        var clinic = Guid.NewGuid();
        var otherClinic = Guid.NewGuid();
        var saved = await Put(clinic, "missedSession/en/email",
            new { subject = "We saved your seat", body = "Our clinic missed you on {{sessionTime}}.\n{{makeupOptions}}\nCatch up here: {{link}}" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var otherPatient = Guid.NewGuid();
        var otherEmail = await service.RegisterContact(otherClinic, otherPatient);
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/Madrid", now);

        await service.Broker.Publish(missed);
        await service.Broker.Publish(missed with { EventId = Guid.CreateVersion7(), ClinicId = otherClinic, PatientId = otherPatient });

        var mail = await smtp.WaitForMessageAsync(email);
        Assert.Equal("We saved your seat", mail.Subject);
        var body = await smtp.GetPlainTextAsync(mail);
        Assert.Contains("Our clinic missed you on", body);
        NotificationService.PersonalLinkToken(body, $"/patient/catch-up/{missed.SessionId}");
        Assert.StartsWith("We missed you", (await smtp.WaitForMessageAsync(otherEmail)).Subject);
    }

    [Fact]
    public async Task A_wording_with_an_unknown_or_missing_placeholder_or_care_details_in_a_text_is_refused_naming_the_field_and_nothing_is_written()
    {
        var clinic = Guid.NewGuid();

        Assert.True((await Errors(await Put(clinic, "reminder/en/email", new { body = "Hi {{firstName}}, {{sessionTime}} {{link}}" }))).TryGetProperty("body", out _));
        Assert.Contains("{{link}}", (await Errors(await Put(clinic, "reminder/en/email", new { body = "See you {{sessionTime}}" }))).GetProperty("body")[0].GetString());
        Assert.Contains("may reveal care",
            (await Errors(await Put(clinic, "missedSession/es/sms", new { body = "{{makeupOptions}} {{link}}" }))).GetProperty("body")[0].GetString());
        Assert.True((await Errors(await Put(clinic, "reminder/en/sms", new { subject = "Hi", body = "{{sessionTime}} {{link}}" }))).TryGetProperty("subject", out _));
        Assert.True((await Errors(await Put(clinic, "helpDeskTicket/en/email", new { body = "{{link}}" }))).TryGetProperty("kind", out _));
        Assert.True((await Errors(await Put(clinic, "reminder/fr/email", new { body = "{{sessionTime}} {{link}}" }))).TryGetProperty("language", out _));
        Assert.True((await Errors(await Put(clinic, "reminder/en/fax", new { body = "{{sessionTime}} {{link}}" }))).TryGetProperty("channel", out _));
        Assert.Equal(0, await service.Count("template_override", clinic));
    }

    [Fact]
    public async Task The_built_in_wording_shows_until_the_clinic_sets_its_own_and_comes_back_when_removed()
    {
        var clinic = Guid.NewGuid();
        var client = service.ClientFor(clinic);
        const string path = "/api/notification/templates/reminder/es/sms";

        var standard = await client.GetFromJsonAsync<JsonElement>(path);
        Assert.False(standard.GetProperty("overridden").GetBoolean());
        Assert.Contains("{{link}}", standard.GetProperty("body").GetString());

        (await client.PutAsJsonAsync(path, new { body = "Le esperamos el {{sessionTime}}: {{link}}" })).EnsureSuccessStatusCode();
        var own = await client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("Le esperamos el {{sessionTime}}: {{link}}", own.GetProperty("body").GetString());
        Assert.False((await service.ClientFor(Guid.NewGuid()).GetFromJsonAsync<JsonElement>(path)).GetProperty("overridden").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().PutAsJsonAsync(path, new { body = "{{sessionTime}} {{link}}" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(path)).StatusCode);
        Assert.False((await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("overridden").GetBoolean());
    }
}
