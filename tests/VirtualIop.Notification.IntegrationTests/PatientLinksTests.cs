using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// Every message to a patient carries a personal link, {portal}/p/{token}?next=/patient/{page}, whose token the portal
/// redeems (as the gateway does) for the clinic and patient it stands for; a clinic running its own patient app gets the
/// links there; expired, revoked and unknown links open nothing; only the token's hash is kept.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class PatientLinksTests(NotificationService service, PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IClassFixture<NotificationService>
{
    sealed record Redeemed(Guid ClinicId, Guid PatientId, DateTimeOffset ExpiresAt);

    static SessionMissed Missed(Guid clinic, Guid patient)
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/Chicago", now);
    }

    /// <summary>A "we missed you" email to a new patient of a new clinic, and the token of its link to the session's catch-up.</summary>
    async Task<(Guid Clinic, Guid Patient, string Token)> MissedSessionLink(string portal = NotificationService.PortalUrl, Guid? clinicId = null)
    {
        var clinic = clinicId ?? Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var missed = Missed(clinic, patient);
        await service.Broker.Publish(missed);
        var body = await smtp.GetPlainTextAsync(await smtp.WaitForMessageAsync(email));
        return (clinic, patient, NotificationService.PersonalLinkToken(body, $"/patient/catch-up/{missed.SessionId}", portal));
    }

    [Fact]
    public async Task A_we_missed_you_email_links_to_the_catch_up_with_a_token_that_redeems_to_that_patient()
    {
        var (clinic, patient, token) = await MissedSessionLink();
        var other = await MissedSessionLink(clinicId: clinic);

        var response = await service.Redeem(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var redeemed = (await response.Content.ReadFromJsonAsync<Redeemed>())!;
        Assert.Equal((clinic, patient), (redeemed.ClinicId, redeemed.PatientId));
        Assert.InRange(redeemed.ExpiresAt, DateTimeOffset.UtcNow.AddDays(13), DateTimeOffset.UtcNow.AddDays(14));
        Assert.NotEqual(token, other.Token);
        Assert.Equal(other.Patient, (await (await service.Redeem(other.Token)).Content.ReadFromJsonAsync<Redeemed>())!.PatientId);
        var audit = await service.AuditRows(clinic);
        Assert.Contains(audit, r => r is { ClientId: NotificationService.GatewayClientId, Action: "change", Resource: "patient-link" } && r.PatientId == patient);
    }

    [Fact]
    public async Task A_text_message_carries_a_personal_link_and_nothing_about_the_patient()
    {
        await using var provider = new RecordingHttpServer();
        var texting = new NotificationService(postgres, rabbitMq, smtp) { SmsProviderUrl = provider.BaseUrl };
        await texting.InitializeAsync();
        try
        {
            var clinic = Guid.NewGuid();
            var patient = Guid.NewGuid();
            await texting.RegisterPreferences(clinic, patient, new { email = $"p-{patient:N}@example.test", phone = "+15557654322", channels = new[] { "sms" } });
            var missed = Missed(clinic, patient);

            await texting.Broker.Publish(missed);

            var text = (await Eventually.Until(() => Task.FromResult(provider.Requests), r => r.Count == 1, "the text sent"))[0].Form()["Body"];
            var token = NotificationService.PersonalLinkToken(text, $"/patient/catch-up/{missed.SessionId}");
            Assert.DoesNotContain(patient.ToString(), text);
            var redeemed = (await (await texting.Redeem(token)).Content.ReadFromJsonAsync<Redeemed>())!;
            Assert.Equal((clinic, patient), (redeemed.ClinicId, redeemed.PatientId));
        }
        finally
        {
            await texting.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_clinic_with_its_own_patient_app_gets_its_links_there_and_can_go_back_to_the_default()
    {
        const string own = "https://patients.riverside-clinic.example.test/app";
        var clinic = Guid.NewGuid();
        using var api = service.ClientFor(clinic);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/notification/settings/patient-portal", new { url = own + "/" })).StatusCode);
        var setting = await api.GetFromJsonAsync<JsonElement>("/api/notification/settings/patient-portal");
        Assert.Equal((own, true), (setting.GetProperty("url").GetString(), setting.GetProperty("clinicOwn").GetBoolean()));

        var (_, patient, token) = await MissedSessionLink(own, clinic);
        var elsewhere = await MissedSessionLink();

        Assert.Equal(patient, (await (await service.Redeem(token)).Content.ReadFromJsonAsync<Redeemed>())!.PatientId);
        Assert.Equal(HttpStatusCode.OK, (await service.Redeem(elsewhere.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/notification/settings/patient-portal")).StatusCode);
        var back = await api.GetFromJsonAsync<JsonElement>("/api/notification/settings/patient-portal");
        Assert.Equal((NotificationService.PortalUrl, false), (back.GetProperty("url").GetString(), back.GetProperty("clinicOwn").GetBoolean()));
        await MissedSessionLink(NotificationService.PortalUrl, clinic);
    }

    [Theory]
    [InlineData("ftp://patients.example.org")]
    [InlineData("https://patients.example.org/app?clinic=7")]
    [InlineData("https://patients.example.org/app#start")]
    [InlineData("https://user:secret@patients.example.org")]
    [InlineData("patients.example.org")]
    [InlineData("")]
    public async Task A_portal_url_that_cannot_carry_a_link_is_refused_naming_the_field_and_nothing_is_saved(string url)
    {
        var clinic = Guid.NewGuid();
        using var api = service.ClientFor(clinic);

        var response = await api.PutAsJsonAsync("/api/notification/settings/patient-portal", new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("url", out _));
        Assert.Equal(0, await service.Count("clinic_patient_portal", clinic));
    }

    [Fact]
    public async Task An_expired_link_answers_410_and_an_unknown_one_404()
    {
        var (clinic, patient, token) = await MissedSessionLink();
        await service.Execute("update patient_link set expires_at = now() - interval '1 minute' where clinic_id = @Clinic and patient_id = @Patient",
            new { Clinic = clinic, Patient = patient });

        Assert.Equal(HttpStatusCode.Gone, (await service.Redeem(token)).StatusCode);
        var unknown = PatientLinkToken();
        Assert.Equal(HttpStatusCode.NotFound, (await service.Redeem(unknown)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Redeem("")).StatusCode);
        Assert.DoesNotContain(await service.AuditRows(clinic), r => r.Resource == "patient-link");
    }

    [Fact]
    public async Task Revoking_a_patients_links_makes_every_one_answer_404_and_leaves_other_patients_links_working()
    {
        var (clinic, patient, first) = await MissedSessionLink();
        var second = await SecondMissedSessionLink(clinic, patient);
        var other = await MissedSessionLink(clinicId: clinic);
        using var api = service.ClientFor(clinic);

        var response = await api.PostAsync($"/api/notification/patients/{patient}/links/revocation", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await service.Redeem(first)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Redeem(second)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Redeem(other.Token)).StatusCode);
        Assert.Contains(await service.AuditRows(clinic), r => r is { Action: "change", Resource: "patient-link" } && r.PatientId == patient);
    }

    [Fact]
    public async Task Another_clinics_revocation_leaves_the_links_working()
    {
        var (_, patient, token) = await MissedSessionLink();
        using var stranger = service.ClientFor(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.OK, (await stranger.PostAsync($"/api/notification/patients/{patient}/links/revocation", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await service.Redeem(token)).StatusCode);
    }

    [Fact]
    public async Task Only_the_tokens_hash_is_stored()
    {
        var (clinic, patient, token) = await MissedSessionLink();

        var hashes = await service.Query<byte[]>("select token_hash from patient_link where clinic_id = @Clinic and patient_id = @Patient",
            new { Clinic = clinic, Patient = patient });
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), Assert.Single(hashes));
        Assert.Equal(0, await service.CountWhere("patient_link", "position(@Token in patient_link::text) > 0 or position(@Token in encode(token_hash, 'escape')) > 0",
            new { Token = token }));
    }

    [Fact]
    public async Task Only_a_client_holding_the_patient_links_scope_redeems_a_link()
    {
        var (clinic, patient, token) = await MissedSessionLink();
        using var partner = service.ClientFor(clinic);
        using var patientToken = service.ClientWithToken(issuer => issuer.IssuePatient(clinic, patient, "patient-portal", TimeSpan.FromMinutes(5)));
        using var anonymous = service.AnonymousClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PostAsJsonAsync("/internal/patient-links/redemptions", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await patientToken.PostAsJsonAsync("/internal/patient-links/redemptions", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/internal/patient-links/redemptions", new { token })).StatusCode);
        Assert.DoesNotContain(await service.AuditRows(clinic), r => r.Resource == "patient-link");
    }

    [Fact]
    public async Task Links_are_purged_once_their_retention_after_expiry_has_passed()
    {
        var (clinic, patient, _) = await MissedSessionLink();
        var retention = service.PatientLinkRetention;
        var row = new { Clinic = clinic, Patient = patient };

        await retention.RunOnce(DateTimeOffset.UtcNow.AddDays(14 + 29), default);
        Assert.Equal(1, await service.CountWhere("patient_link", "clinic_id = @Clinic and patient_id = @Patient", row));
        await retention.RunOnce(DateTimeOffset.UtcNow.AddDays(14 + 31), default);
        Assert.Equal(0, await service.CountWhere("patient_link", "clinic_id = @Clinic and patient_id = @Patient", row));
    }

    /// <summary>Another session the same patient missed: a second email, with a link of its own.</summary>
    async Task<string> SecondMissedSessionLink(Guid clinic, Guid patient)
    {
        var missed = Missed(clinic, patient);
        await service.Broker.Publish(missed);
        var page = $"/patient/catch-up/{missed.SessionId}";
        var bodies = await Eventually.Until(async () =>
        {
            var texts = new List<string>();
            foreach (var mail in await smtp.MessagesToAsync($"patient-{patient:N}@example.test")) texts.Add(await smtp.GetPlainTextAsync(mail));
            return texts;
        }, texts => texts.Any(t => t.Contains(page, StringComparison.Ordinal)), "the second email");
        return NotificationService.PersonalLinkToken(bodies.Single(t => t.Contains(page, StringComparison.Ordinal)), page);
    }

    static string PatientLinkToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
