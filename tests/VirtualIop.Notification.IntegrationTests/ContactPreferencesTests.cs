using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class ContactPreferencesTests(NotificationService service, SmtpSink smtp) : IClassFixture<NotificationService>
{
    static object FullPreferences(Guid patient) => new
    {
        email = $"p-{patient:N}@example.test",
        phone = "+15551234567",
        pushAddress = "app-user-42",
        channels = new[] { "sms", "push", "email" },
        language = "es",
        timeZone = "America/Mexico_City",
        quietHours = new { start = "21:30", end = "07:00" }
    };

    [Fact]
    public async Task Channels_with_an_address_each_language_time_zone_and_quiet_hours_are_registered_and_read_back()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var client = service.ClientFor(clinic);

        var saved = await client.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", FullPreferences(patient));
        var contact = await client.GetFromJsonAsync<JsonElement>($"/api/notification/patients/{patient}/contact");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal($"p-{patient:N}@example.test", contact.GetProperty("email").GetString());
        Assert.Equal("+15551234567", contact.GetProperty("phone").GetString());
        Assert.Equal("app-user-42", contact.GetProperty("pushAddress").GetString());
        Assert.Equal(["sms", "push", "email"], contact.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("es", contact.GetProperty("language").GetString());
        Assert.Equal("America/Mexico_City", contact.GetProperty("timeZone").GetString());
        Assert.Equal(("21:30", "07:00"), (contact.GetProperty("quietHours").GetProperty("start").GetString(),
            contact.GetProperty("quietHours").GetProperty("end").GetString()));
        Assert.Empty(contact.GetProperty("optedOut").EnumerateArray());
    }

    [Fact]
    public async Task An_email_alone_still_registers_as_the_only_channel_in_english()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();

        await service.RegisterContact(clinic, patient);

        var contact = await service.ClientFor(clinic).GetFromJsonAsync<JsonElement>($"/api/notification/patients/{patient}/contact");
        Assert.Equal(["email"], contact.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("en", contact.GetProperty("language").GetString());
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("quietHours").ValueKind);
    }

    public static TheoryData<string, string> BadPreferences => new()
    {
        { """{ "email": "pat@example.test", "phone": "555-1234" }""", "phone" },
        { """{ "phone": "+1 555 123 4567" }""", "phone" },
        { """{ "email": "pat@example.test", "timeZone": "Mars/Olympus_Mons" }""", "timeZone" },
        { """{ "email": "pat@example.test", "timeZone": "Europe/Madrid", "quietHours": { "start": "25:00", "end": "07:00" } }""", "quietHours.start" },
        { """{ "email": "pat@example.test", "quietHours": { "start": "22:00", "end": "07:00" } }""", "timeZone" },
        { """{ "email": "pat@example.test", "channels": ["sms"] }""", "channels" },
        { """{ "email": "pat@example.test", "channels": ["email", "email"] }""", "channels" },
        { """{ "email": "pat@example.test", "pushAddress": "has a space" }""", "pushAddress" },
        { """{ "email": "pat@example.test", "language": "fr" }""", "language" }
    };

    [Theory]
    [MemberData(nameof(BadPreferences))]
    public async Task Bad_preferences_are_rejected_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var clinic = Guid.NewGuid();

        var response = await service.ClientFor(clinic).PutAsync($"/api/notification/patients/{Guid.NewGuid()}/contact",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), problem.ToString());
        Assert.Equal((0, 0), await service.RowsFor(clinic));
    }

    [Fact]
    public async Task A_patient_opted_out_of_email_gets_no_email_and_the_suppression_is_recorded()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var client = service.ClientFor(clinic);

        var optOut = await client.PutAsync($"/api/notification/patients/{patient}/contact/opt-outs/email", null);
        Assert.Equal(HttpStatusCode.OK, optOut.StatusCode);
        // Registering the address again does not silently opt the patient back in.
        await service.RegisterContact(clinic, patient);
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now);
        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "suppressed" }], "the outreach suppressed"));
        Assert.Contains("opted out", delivery.Detail);
        Assert.Empty(await smtp.MessagesToAsync(email));
        var contact = await client.GetFromJsonAsync<JsonElement>($"/api/notification/patients/{patient}/contact");
        Assert.Equal(["email"], contact.GetProperty("optedOut").EnumerateArray().Select(c => c.GetString()));

        var optIn = await client.DeleteAsync($"/api/notification/patients/{patient}/contact/opt-outs/email");
        var after = await optIn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(after.GetProperty("optedOut").EnumerateArray());
        Assert.Equal(2, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task Opting_out_of_an_unknown_channel_or_another_clinics_patient_changes_nothing()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterContact(clinic, patient);

        var unknown = await service.ClientFor(clinic).PutAsync($"/api/notification/patients/{patient}/contact/opt-outs/fax", null);
        var otherClinic = await service.ClientFor(Guid.NewGuid()).PutAsync($"/api/notification/patients/{patient}/contact/opt-outs/email", null);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("channel", out _));
        Assert.Equal(HttpStatusCode.NotFound, otherClinic.StatusCode);
        Assert.Equal(0, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task A_spanish_speaking_patient_is_written_to_in_spanish_at_their_own_local_time()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = $"p-{patient:N}@example.test";
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/contact",
            new { email, language = "es", timeZone = "America/Mexico_City" })).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now);

        await service.Broker.Publish(missed);

        var mail = await smtp.WaitForMessageAsync(email);
        var body = await smtp.GetPlainTextAsync(mail);
        Assert.StartsWith("Le echamos de menos", mail.Subject);
        var local = TimeZoneInfo.ConvertTime(missed.SessionStartsAt, TimeZoneInfo.FindSystemTimeZoneById("America/Mexico_City"));
        Assert.Contains($"a las {local:HH:mm} (America/Mexico_City)", body);
    }
}
