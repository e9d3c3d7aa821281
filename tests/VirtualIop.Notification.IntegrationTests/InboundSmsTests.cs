using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class InboundSmsTests(NotificationService service) : IClassFixture<NotificationService>
{
    async Task<(Guid Clinic, Guid Patient, string Phone)> PatientWithPhone(string language = "en")
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{patient}/contact",
            new { email = $"p-{patient:N}@example.test", phone, language })).EnsureSuccessStatusCode();
        return (clinic, patient, phone);
    }

    async Task<IReadOnlyList<string?>> OptedOut(Guid clinic, Guid patient) =>
        (await service.ClientFor(clinic).GetFromJsonAsync<JsonElement>($"/api/notification/patients/{patient}/contact"))
            .GetProperty("optedOut").EnumerateArray().Select(c => c.GetString()).ToList();

    [Fact]
    public async Task STOP_opts_the_patient_out_of_texts_and_START_opts_them_back_in()
    {
        var (clinic, patient, phone) = await PatientWithPhone();

        var stop = await service.ReceiveSms(clinic, phone, "Stop");

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("text/xml", stop.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<Message>VirtualIop: you will no longer get text messages", await stop.Content.ReadAsStringAsync());
        Assert.Equal(["sms"], await OptedOut(clinic, patient));

        var start = await service.ReceiveSms(clinic, phone, "START");

        Assert.Contains("back on", await start.Content.ReadAsStringAsync());
        Assert.Empty(await OptedOut(clinic, patient));
        Assert.Equal(2, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task HELP_answers_in_the_patients_language_with_where_to_get_help_and_changes_nothing()
    {
        var (clinic, patient, phone) = await PatientWithPhone(language: "es");

        var help = await service.ReceiveSms(clinic, phone, "help");

        var twiml = await help.Content.ReadAsStringAsync();
        Assert.Contains("equipo de cuidado", twiml);
        NotificationService.PersonalLinkToken(twiml, "/patient/technical-check");
        Assert.Empty(await OptedOut(clinic, patient));
        Assert.Equal(0, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task A_badly_signed_text_is_refused_with_a_problem_and_nothing_is_written()
    {
        var (clinic, patient, phone) = await PatientWithPhone();

        var forged = await service.ReceiveSms(clinic, phone, "STOP", signature: "bm90LXRoZS1yZWFsLXNpZ25hdHVyZQ==");
        var unsigned = await service.ReceiveSms(clinic, phone, "STOP", signature: "");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await OptedOut(clinic, patient));
        Assert.Equal(0, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task A_text_from_an_unknown_number_is_ignored()
    {
        var (clinic, patient, _) = await PatientWithPhone();

        var response = await service.ReceiveSms(clinic, "+15559999999", "STOP");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<Message>", await response.Content.ReadAsStringAsync());
        Assert.Empty(await OptedOut(clinic, patient));
        Assert.Equal(0, await service.OptOutChangesFor(clinic));
    }

    [Fact]
    public async Task A_STOP_on_another_clinics_number_does_not_touch_this_clinics_patient()
    {
        var (clinic, patient, phone) = await PatientWithPhone();

        await service.ReceiveSms(Guid.NewGuid(), phone, "STOP");

        Assert.Empty(await OptedOut(clinic, patient));
    }
}
