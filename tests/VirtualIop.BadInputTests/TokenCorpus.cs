using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace VirtualIop.BadInputTests;

/// <summary>The gateway in memory with its development token endpoint (demo clients of appsettings.Development.json).</summary>
sealed class GatewayHost : WebApplicationFactory<Gateway.Identity.DemoClientRegistry>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog("gateway")));
        builder.UseSetting("Auth:SigningKey", "bad-input-gateway-signing-key-0123456789abcdef");
        builder.UseSetting("GatewayRateLimits:TokenRequestsPerMinute", "100000");
    }
}

/// <summary>
/// The gateway's token endpoint against bad forms. It answers in the OAuth2 error shape (RFC 6749 §5.2: a JSON object with
/// <c>error</c>), which token clients expect, rather than problem details; it has no database, so there is nothing to count.
/// </summary>
public static class TokenCorpus
{
    const string Route = "POST /connect/token";
    const string Form = "application/x-www-form-urlencoded";
    const string Valid = "grant_type=client_credentials&client_id=demo-clinic&client_secret=demo-clinic-secret";

    static readonly (string Name, string? Body, string MediaType)[] Cases =
    [
        ("empty form", "", Form),
        ("no body", null, Form),
        ("no grant type", "client_id=demo-clinic&client_secret=demo-clinic-secret", Form),
        ("password grant", "grant_type=password&client_id=demo-clinic&client_secret=demo-clinic-secret&username=a&password=b", Form),
        ("unknown grant type", "grant_type=%27%3B%20drop%20table%20x%3B--&client_id=demo-clinic&client_secret=demo-clinic-secret", Form),
        ("no client", "grant_type=client_credentials", Form),
        ("unknown client", "grant_type=client_credentials&client_id=nobody&client_secret=nothing", Form),
        ("wrong secret", "grant_type=client_credentials&client_id=demo-clinic&client_secret=wrong", Form),
        ("empty secret", "grant_type=client_credentials&client_id=demo-clinic&client_secret=", Form),
        ("injection client id", "grant_type=client_credentials&client_id=%27%20or%201%3D1%20--&client_secret=x", Form),
        ("NUL client id", "grant_type=client_credentials&client_id=demo-clinic%00&client_secret=demo-clinic-secret", Form),
        ("100000-character client id", $"grant_type=client_credentials&client_id={new string('a', 100_000)}&client_secret=x", Form),
        ("100000-character secret", $"grant_type=client_credentials&client_id=demo-clinic&client_secret={new string('a', 100_000)}", Form),
        ("scope not granted", Valid + "&scope=admin", Form),
        ("10000 scopes", Valid + "&scope=" + string.Join("%20", Enumerable.Repeat("admin", 10_000)), Form),
        ("duplicate grant type", Valid + "&grant_type=password", Form),
        ("malformed form encoding", "grant_type=%zz&client_id=%&client_secret=%%", Form),
        ("oversized form (>1 MB)", Valid + "&padding=" + new string('x', 1_100_000), Form),
        ("JSON instead of a form", "{\"grant_type\":\"client_credentials\",\"client_id\":\"demo-clinic\",\"client_secret\":\"demo-clinic-secret\"}", "application/json"),
        ("text/plain", Valid, "text/plain"),
        ("multipart without boundary", Valid, "multipart/form-data"),
    ];

    public static async Task<int> Run(Tally tally)
    {
        await using var gateway = new GatewayHost();
        using var client = gateway.CreateClient();
        await Parallel.ForEachAsync(Cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
            if (c.Body is not null) request.Content = new StringContent(c.Body, Encoding.UTF8, c.MediaType);
            using var response = await client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            tally.Sent();
            var status = (int)response.StatusCode;
            if (Judge(status, response.Content.Headers.ContentType?.MediaType, body) is not { } why) return;
            if (status >= 500) tally.ServerError();
            tally.Offences.Enqueue(new Offence("gateway", Route, c.Name, status, why));
        });
        return 1;
    }

    static string? Judge(int status, string? mediaType, string body)
    {
        if (status >= 500) return "server error";
        if (status < 400) return "bad input accepted";
        if (status == 429) return "throttled, so the case was never judged";
        // Refused before the endpoint runs (a body past the size limit): the shared problem answer.
        if (mediaType == "application/problem+json") return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? null
                : "not an OAuth2 error answer";
        }
        catch (JsonException)
        {
            return "not an OAuth2 error answer";
        }
    }
}
