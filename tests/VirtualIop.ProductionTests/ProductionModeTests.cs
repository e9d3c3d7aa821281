using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.ProductionTests;

/// <summary>
/// The published gateway and services in Production, configured only through environment variables, trusting only the
/// OIDC issuer the test hosts: the skeleton flow runs through the gateway with its RS256 tokens, and a token signed with
/// the development key is refused by the gateway and by every service.
/// </summary>
[Collection(ProductionCollection.Name)]
[Trait("Category", "Production")]
public sealed class ProductionModeTests(PublishedStack stack)
{
    static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(90);
    const string TimeZone = "America/New_York";

    public static TheoryData<string> Projects => new(PublishedStack.Services.Prepend(PublishedStack.Gateway));

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_published_folder_holds_the_production_settings_and_no_development_settings(string project)
    {
        var folder = stack.PublishedFolder(project);

        Assert.True(File.Exists(Path.Combine(folder, "appsettings.json")), $"{folder} has no appsettings.json");
        Assert.Empty(System.IO.Directory.EnumerateFiles(folder, "appsettings.Development.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_skeleton_flow_runs_through_the_gateway_with_an_RS256_token_from_the_issuer()
    {
        var token = await stack.RequestToken();
        Assert.Equal("RS256", new JsonWebToken(token).Alg);
        var gateway = new Partner(stack.Http, stack.Address(PublishedStack.Gateway), token);
        var attendee = Guid.NewGuid();
        var absentee = Guid.NewGuid();
        string EmailOf(Guid patient) => $"production-{patient:N}@clinic-group.org";

        var program = await gateway.Send(HttpMethod.Post, "/api/scheduling/programs", new
        {
            name = "Production IOP",
            topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } }
        }, HttpStatusCode.Created);
        var cohort = await gateway.Send(HttpMethod.Post, "/api/scheduling/cohorts", new
        {
            programId = program.GetProperty("id").GetGuid(), name = "Group 1", facilitatorClinicianId = Guid.NewGuid(), capacity = 10, timeZone = TimeZone
        }, HttpStatusCode.Created);
        var cohortId = cohort.GetProperty("id").GetGuid();
        foreach (var patient in new[] { attendee, absentee })
        {
            await gateway.Send(HttpMethod.Post, $"/api/scheduling/cohorts/{cohortId}/enrolments", new { patientId = patient }, HttpStatusCode.Created);
            await gateway.Send(HttpMethod.Put, $"/api/notification/patients/{patient}/contact", new { email = EmailOf(patient) }, HttpStatusCode.OK);
        }

        // Starts soon enough for the reminder to fall due first; one minute long, then the no-show grace.
        var startsAt = DateTimeOffset.UtcNow + PublishedStack.ReminderOffset + TimeSpan.FromSeconds(10);
        var local = TimeZoneInfo.ConvertTime(startsAt, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        await gateway.Send(HttpMethod.Post, $"/api/scheduling/cohorts/{cohortId}/series", new
        {
            rrule = "FREQ=DAILY;COUNT=1",
            startsAtLocal = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            durationMinutes = 1
        }, HttpStatusCode.Created);
        var session = Assert.Single((await gateway.Send(HttpMethod.Get, $"/api/scheduling/cohorts/{cohortId}/sessions", null, HttpStatusCode.OK)).EnumerateArray());
        var sessionId = session.GetProperty("id").GetGuid();

        await gateway.Eventually($"/api/attendance/sessions/{sessionId}", body => body.GetProperty("records").GetArrayLength() == 2, EventTimeout);
        await gateway.Send(HttpMethod.Post, $"/api/attendance/sessions/{sessionId}/check-ins", new { patientId = attendee }, HttpStatusCode.OK);

        // Both reminders crossed STARTTLS to the sink: the service trusted its certificate through the private authority.
        foreach (var patient in new[] { attendee, absentee })
        {
            await gateway.Eventually($"/api/notification/deliveries?patientId={patient}",
                body => body.EnumerateArray().Any(d => d.GetProperty("kind").GetString() == "reminder" && d.GetProperty("status").GetString() == "sent"), EventTimeout);
            await stack.MailSink.WaitForMessageAsync(EmailOf(patient), timeout: EventTimeout);
        }
        var attendance = await gateway.Eventually($"/api/attendance/sessions/{sessionId}",
            body => body.GetProperty("records").EnumerateArray().All(r => r.GetProperty("outcome").GetString() != "pending"), EventTimeout);
        var outcomes = attendance.GetProperty("records").EnumerateArray()
            .ToDictionary(r => r.GetProperty("patientId").GetGuid(), r => r.GetProperty("outcome").GetString());
        Assert.Equal("present", outcomes[attendee]);
        Assert.Equal("noShow", outcomes[absentee]);

        // What the flow did reaches the operator's collector as metrics (OTLP, exported by each process).
        var exported = new (string Service, string Metric, (string, string)[] Attributes)[]
        {
            ("VirtualIop.Attendance", "virtualiop.attendance.no_shows", []),
            ("VirtualIop.Attendance", "virtualiop.attendance.sweep.duration", []),
            ("VirtualIop.Notification", "virtualiop.notification.deliveries", [("outcome", "sent"), ("channel", "email")]),
            ("VirtualIop.Scheduling", "virtualiop.outbox.waiting", []),
        };
        await Eventually.Until(() => Task.FromResult(exported.Select(m => stack.Telemetry.Highest(m.Service, m.Metric, m.Attributes)).ToList()),
            values => values.All(v => v is not null) && values[0] >= 1 && values[2] >= 2,
            "the flow's no-show, sweep, sent reminders and outbox gauge in the exported metrics", EventTimeout);
        Assert.Equal("", stack.Crashed());
    }

    /// <summary>A protected route of each service, answered for any clinic once the token is accepted.</summary>
    public static TheoryData<string, string> ServiceRoutes => new()
    {
        { "scheduling", $"/api/scheduling/sessions/{Guid.NewGuid()}" },
        { "attendance", $"/api/attendance/sessions/{Guid.NewGuid()}" },
        { "notification", $"/api/notification/patients/{Guid.NewGuid()}/contact" },
        { "engagement", $"/api/engagement/follow-ups?patientId={Guid.NewGuid()}" },
    };

    [Theory]
    [MemberData(nameof(ServiceRoutes))]
    public async Task A_development_key_token_is_refused_by_the_gateway_and_by_the_service_itself(string service, string path)
    {
        var issued = await stack.RequestToken();
        // Signed with the development key that is even left in the processes' environment: once as the development
        // issuer, once claiming to come from the configured issuer.
        var developmentTokens = new[] { new PartnerAuthOptions().Issuer, stack.Issuer.Issuer }.ToDictionary(issuer => issuer, issuer =>
            new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = PublishedStack.LeftoverDevelopmentKey, Issuer = issuer, Audience = PublishedStack.Audience },
                TimeProvider.System).Issue(stack.Client.ClinicId, stack.Client.ClientId, PartnerScopes.All, TimeSpan.FromMinutes(10)));

        var accepted = new Dictionary<string, HttpStatusCode>();
        var refused = new Dictionary<string, HttpStatusCode>();
        foreach (var target in new[] { PublishedStack.Gateway, service })
        {
            accepted[target] = await Status(target, path, issued);
            foreach (var (issuer, token) in developmentTokens)
                refused[$"{target}, development key as {issuer}"] = await Status(target, path, token);
        }

        Assert.All(accepted, answer => Assert.True(answer.Value is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{answer.Key} answered {answer.Value} to the issuer's token on {path}"));
        Assert.All(refused, answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.Value));
    }

    async Task<HttpStatusCode> Status(string target, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Address(target), path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A partner's calls through one base address with one bearer token.</summary>
    sealed class Partner(HttpClient http, Uri baseAddress, string token)
    {
        public async Task<JsonElement> Send(HttpMethod method, string path, object? body, HttpStatusCode expected)
        {
            var (status, text) = await Call(method, path, body);
            if (status != expected)
                throw new InvalidOperationException($"{method} {path} answered {(int)status}, not {(int)expected}: {text}");
            return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
        }

        /// <summary>Polls a GET until it answers 200 with a body that satisfies <paramref name="done"/>.</summary>
        public async Task<JsonElement> Eventually(string path, Func<JsonElement, bool> done, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var (status, text) = await Call(HttpMethod.Get, path, null);
                if (status == HttpStatusCode.OK && JsonSerializer.Deserialize<JsonElement>(text) is var body && done(body)) return body;
                if (DateTime.UtcNow >= deadline)
                    throw new TimeoutException($"GET {path} did not reach the expected state within {timeout}; last answer {(int)status}: {text}");
                await Task.Delay(250);
            }
        }

        async Task<(HttpStatusCode Status, string Text)> Call(HttpMethod method, string path, object? body)
        {
            using var request = new HttpRequestMessage(method, new Uri(baseAddress, path.TrimStart('/')));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
