using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class RecordingMakeupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    const string Link = "https://video.example.org/modules/cravings-101";

    /// <summary>Signs as the video platform does (the README's openssl line), computed here independently of the service's code.</summary>
    static HttpRequestMessage Webhook(Guid clinicId, string body, DateTimeOffset sentAt, string secret)
    {
        var timestamp = sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var path = $"/api/scheduling/webhooks/recordings/{clinicId}";
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"{timestamp}\nPOST\n{path}\n{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json")
        };
        request.Headers.Add("X-VirtualIop-Timestamp", timestamp);
        request.Headers.Add("X-VirtualIop-Signature", signature);
        return request;
    }

    static string Progress(string eventId, Guid makeupId, int minutes) =>
        JsonSerializer.Serialize(new { eventId, makeupId, minutesWatched = minutes });

    /// <summary>In clinic <paramref name="forClinic"/>, a patient who missed an educational module watches its recording as the makeup.</summary>
    async Task<(MakeupScenario Scenario, JsonElement Makeup)> WatchingARecording(Guid forClinic)
    {
        var scenario = await MakeupScenario.Start(scheduling, topicKind: "educationalModule", forClinic: forClinic);
        var missed = scenario.Sessions[0];
        var set = await scenario.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{missed.Id()}/recording", new { url = Link });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var makeup = await scenario.Miss(missed, scenario.Patients[0]);
        var chosen = await scenario.Clinic.PostAsync($"/api/scheduling/makeups/{makeup.Id()}/recording", null);
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        return (scenario, await chosen.Json());
    }

    [Fact]
    public async Task Makeup_completion_from_a_recording_reported_by_the_video_platforms_signed_webhook()
    {
        var (clinicId, secret) = scheduling.NewRecordingWebhookClinic();
        var (scenario, makeup) = await WatchingARecording(clinicId);
        Assert.Equal(("watching", "recording", Link),
            (makeup.GetProperty("status").GetString(), makeup.GetProperty("kind").GetString(), makeup.GetProperty("recordingUrl").GetString()));
        var booked = Assert.Single(await scheduling.Broker.WaitFor<MakeupBooked>(e => e.MakeupId == makeup.Id(), 1));
        Assert.Equal(("recording", (Guid?)null), (booked.Kind, booked.SessionId));
        var anonymous = scheduling.AnonymousClient();

        // 180 minutes at the default share of 0.8: 143 minutes are not enough, 144 are.
        var partly = await anonymous.SendAsync(Webhook(clinicId, Progress("delivery-1", makeup.Id(), 143), DateTimeOffset.UtcNow, secret));
        Assert.Equal(HttpStatusCode.OK, partly.StatusCode);
        var progress = await partly.Json();
        Assert.Equal(("watching", 143), (progress.GetProperty("status").GetString(), progress.GetProperty("minutesWatched").GetInt32()));

        var body = Progress("delivery-2", makeup.Id(), 144);
        var done = await anonymous.SendAsync(Webhook(clinicId, body, DateTimeOffset.UtcNow, secret));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("completed", (await done.Json()).GetProperty("status").GetString());

        var replay = await anonymous.SendAsync(Webhook(clinicId, body, DateTimeOffset.UtcNow, secret));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var completed = Assert.Single(await scheduling.Broker.WaitFor<MakeupCompleted>(e => e.MakeupId == makeup.Id(), 1));
        Assert.Equal(("recording", scenario.Sessions[0].Id(), scenario.Patients[0]), (completed.Kind, completed.MissedSessionId, completed.PatientId));
        Assert.Single(scheduling.Broker.Received<MakeupCompleted>(e => e.MakeupId == makeup.Id()));
    }

    [Fact]
    public async Task Watching_reported_through_the_API_completes_at_the_programs_share_of_the_recordings_own_length()
    {
        var scenario = await MakeupScenario.Start(scheduling, topicKind: "educationalModule",
            settings: new { allowedKinds = new[] { "recording" }, expiryDays = 7, searchWindowDays = 14, oneOnOneMinutes = 50, recordingCompletionShare = 0.5 });
        var missed = scenario.Sessions[0];
        await scenario.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{missed.Id()}/recording", new { url = Link, durationMinutes = 60 });
        var makeup = await scenario.Miss(missed, scenario.Patients[0]);
        await scenario.Clinic.PostAsync($"/api/scheduling/makeups/{makeup.Id()}/recording", null);

        var under = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/watch-progress", new { minutesWatched = 29 });
        Assert.Equal("watching", (await under.Json()).GetProperty("status").GetString());
        var enough = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/watch-progress", new { minutesWatched = 30 });

        Assert.Equal("completed", (await enough.Json()).GetProperty("status").GetString());
        Assert.Single(await scheduling.Broker.WaitFor<MakeupCompleted>(e => e.MakeupId == makeup.Id(), 1));
        await (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/watch-progress", new { minutesWatched = -1 }))
            .AssertValidationProblem("minutesWatched");
    }

    [Fact]
    public async Task A_webhook_with_a_wrong_signature_a_stale_timestamp_or_no_signature_is_refused_and_changes_nothing()
    {
        var (clinicId, secret) = scheduling.NewRecordingWebhookClinic();
        var (scenario, makeup) = await WatchingARecording(clinicId);
        var anonymous = scheduling.AnonymousClient();
        var body = Progress("delivery-x", makeup.Id(), 180);

        var wrongSecret = await anonymous.SendAsync(Webhook(clinicId, body, DateTimeOffset.UtcNow, "not-the-secret"));
        var stale = await anonymous.SendAsync(Webhook(clinicId, body, DateTimeOffset.UtcNow.AddMinutes(-6), secret));
        var unsigned = await anonymous.PostAsync($"/api/scheduling/webhooks/recordings/{clinicId}", new StringContent(body, Encoding.UTF8, "application/json"));
        var tampered = Webhook(clinicId, body, DateTimeOffset.UtcNow, secret);
        tampered.Content = new StringContent(Progress("delivery-x", makeup.Id(), 999), Encoding.UTF8, "application/json");
        var tamperedAnswer = await anonymous.SendAsync(tampered);

        foreach (var refused in new[] { wrongSecret, stale, unsigned, tamperedAnswer }) await refused.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("X-VirtualIop-Timestamp", (await stale.Json()).GetProperty("header").GetString());
        var after = await scenario.Makeup(makeup.Id());
        Assert.Equal(("watching", 0), (after.GetProperty("status").GetString(), after.GetProperty("minutesWatched").GetInt32()));
        Assert.Equal(0, await scheduling.RecordingWebhookEventsFor(clinicId));

        var (otherClinicId, otherSecret) = scheduling.NewRecordingWebhookClinic();
        var otherClinic = await anonymous.SendAsync(Webhook(otherClinicId, body, DateTimeOffset.UtcNow, otherSecret));
        await otherClinic.AssertProblem(HttpStatusCode.NotFound);
        var badBody = await anonymous.SendAsync(Webhook(clinicId, """{"eventId":"d","makeupId":"not-a-guid","minutesWatched":5}""", DateTimeOffset.UtcNow, secret));
        await badBody.AssertValidationProblem("makeupId");
    }

    [Fact]
    public async Task One_clinics_secret_cannot_sign_a_webhook_for_another_clinic_and_nothing_is_written()
    {
        var (clinicA, secretA) = scheduling.NewRecordingWebhookClinic();
        var (clinicB, secretB) = scheduling.NewRecordingWebhookClinic();
        var (scenarioB, makeupB) = await WatchingARecording(clinicB);
        var anonymous = scheduling.AnonymousClient();
        var body = Progress("delivery-a", makeupB.Id(), 180);

        var signedByA = await anonymous.SendAsync(Webhook(clinicB, body, DateTimeOffset.UtcNow, secretA));

        await signedByA.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("X-VirtualIop-Signature", (await signedByA.Json()).GetProperty("header").GetString());
        var after = await scenarioB.Makeup(makeupB.Id());
        Assert.Equal(("watching", 0), (after.GetProperty("status").GetString(), after.GetProperty("minutesWatched").GetInt32()));
        Assert.Equal(0, await scheduling.RecordingWebhookEventsFor(clinicA) + await scheduling.RecordingWebhookEventsFor(clinicB));

        var signedByB = await anonymous.SendAsync(Webhook(clinicB, body, DateTimeOffset.UtcNow, secretB));
        Assert.Equal(HttpStatusCode.OK, signedByB.StatusCode);
        Assert.Equal(1, await scheduling.RecordingWebhookEventsFor(clinicB));
    }

    [Fact]
    public async Task A_clinic_without_a_webhook_secret_has_every_webhook_refused_and_nothing_is_written()
    {
        var (_, someSecret) = scheduling.NewRecordingWebhookClinic();
        var (scenario, makeup) = await WatchingARecording(Guid.NewGuid());
        var anonymous = scheduling.AnonymousClient();

        var refused = await anonymous.SendAsync(Webhook(scenario.ClinicId, Progress("delivery-1", makeup.Id(), 180), DateTimeOffset.UtcNow, someSecret));

        await refused.AssertProblem(HttpStatusCode.Unauthorized);
        var after = await scenario.Makeup(makeup.Id());
        Assert.Equal(("watching", 0), (after.GetProperty("status").GetString(), after.GetProperty("minutesWatched").GetInt32()));
        Assert.Equal(0, await scheduling.RecordingWebhookEventsFor(scenario.ClinicId));
    }

    [Fact]
    public async Task A_recording_is_kept_only_for_an_educational_module_and_cannot_be_chosen_before_it_is_set()
    {
        var group = await MakeupScenario.Start(scheduling);
        await (await group.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{group.Sessions[0].Id()}/recording", new { url = Link }))
            .AssertValidationProblem("kind");

        var module = await MakeupScenario.Start(scheduling, topicKind: "educationalModule");
        await (await module.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{module.Sessions[0].Id()}/recording", new { url = "ftp://video/x" }))
            .AssertValidationProblem("url");
        await (await module.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{Guid.NewGuid()}/recording", new { url = Link }))
            .AssertProblem(HttpStatusCode.NotFound);
        var makeup = await module.Miss(module.Sessions[0], module.Patients[0]);
        await (await module.Clinic.PostAsync($"/api/scheduling/makeups/{makeup.Id()}/recording", null)).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal("offered", (await module.Makeup(makeup.Id())).GetProperty("status").GetString());
    }
}
