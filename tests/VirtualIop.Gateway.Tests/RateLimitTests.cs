using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Gateway.Tests;

/// <summary>Each limit refuses with 429, Retry-After and a problem body, keyed on what the limit names, behind a proxy too.</summary>
public sealed class RateLimitTests
{
    const string TrustedProxy = "ForwardedHeaders:KnownProxies:0";

    static HttpRequestMessage Via(HttpMethod method, string path, string forwardedFor, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    static HttpRequestMessage TokenRequest(string clientId, string secret, string forwardedFor) =>
        Via(HttpMethod.Post, "/connect/token", forwardedFor, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret
        }));

    static async Task AssertLimited(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_partner_client_past_its_limit_gets_429_while_another_client_of_the_same_clinic_behind_the_same_proxy_goes_on()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:PartnerRequestsPerMinute", "2"), (TrustedProxy, "127.0.0.1"));
        var clinic = Guid.NewGuid();
        var first = gateway.PartnerClient(clinic, "partner-a");
        var second = gateway.PartnerClient(clinic, "partner-b");
        const string loadBalancer = "203.0.113.7";

        var withinLimit = new[]
        {
            await first.SendAsync(Via(HttpMethod.Get, "/api/scheduling/programs", loadBalancer)),
            await first.SendAsync(Via(HttpMethod.Get, "/api/scheduling/programs", loadBalancer))
        };
        var pastLimit = await first.SendAsync(Via(HttpMethod.Get, "/api/scheduling/programs", loadBalancer));
        var otherClient = await second.SendAsync(Via(HttpMethod.Get, "/api/scheduling/programs", loadBalancer));

        Assert.All(withinLimit, r => Assert.NotEqual(HttpStatusCode.TooManyRequests, r.StatusCode));
        await AssertLimited(pastLimit);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherClient.StatusCode);
    }

    [Fact]
    public async Task One_client_id_past_its_token_limit_gets_429_counting_wrong_secrets_while_another_client_at_the_same_address_gets_tokens()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:TokenRequestsPerClientPerMinute", "2"),
            ("GatewayRateLimits:TokenRequestsPerMinute", "100"), (TrustedProxy, "127.0.0.1"));
        var http = gateway.CreateClient();

        var guess = await http.SendAsync(TokenRequest("demo-clinic", "guess", "198.51.100.1"));
        var granted = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.2"));
        var pastLimit = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.3"));
        var otherClient = await http.SendAsync(TokenRequest("other-clinic", "other-clinic-secret", "198.51.100.3"));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (guess.StatusCode, granted.StatusCode));
        await AssertLimited(pastLimit);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    [Fact]
    public async Task One_address_past_the_token_limit_gets_429_whatever_client_it_names_and_another_address_behind_the_same_proxy_goes_on()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:TokenRequestsPerMinute", "2"), (TrustedProxy, "127.0.0.1"));
        var http = gateway.CreateClient();

        var first = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.1"));
        var second = await http.SendAsync(TokenRequest("other-clinic", "other-clinic-secret", "198.51.100.1"));
        var pastLimit = await http.SendAsync(TokenRequest("other-clinic", "other-clinic-secret", "198.51.100.1"));
        var otherAddress = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.2"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        await AssertLimited(pastLimit);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    /// <summary>
    /// The web app redeems every patient's link and every staff sign-in code from its own address: a partner's budget
    /// there would lock every patient out once twenty people clicked their links within a minute.
    /// </summary>
    [Fact]
    public async Task The_web_app_has_its_own_token_budget_per_address_so_patients_and_staff_are_not_held_to_a_partners_limit()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:TokenRequestsPerMinute", "2"),
            ("GatewayRateLimits:TokenRequestsPerClientPerMinute", "2"), ("GatewayRateLimits:WebClientTokenRequestsPerMinute", "5"),
            (TrustedProxy, "127.0.0.1"));
        var http = gateway.CreateClient();
        const string webApp = "198.51.100.20";

        var withinWebBudget = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++) withinWebBudget.Add(await http.SendAsync(TokenRequest(Identity.WebClient.ClientId, "virtualiop-web-secret", webApp)));
        var pastWebBudget = await http.SendAsync(TokenRequest(Identity.WebClient.ClientId, "virtualiop-web-secret", webApp));
        var partnerAtTheSameAddress = new[]
        {
            await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", webApp)),
            await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", webApp))
        };
        var partnerPastItsLimit = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", webApp));
        var webAppElsewhere = await http.SendAsync(TokenRequest(Identity.WebClient.ClientId, "virtualiop-web-secret", "198.51.100.21"));

        Assert.All(withinWebBudget, r => Assert.NotEqual(HttpStatusCode.TooManyRequests, r.StatusCode));
        await AssertLimited(pastWebBudget);
        Assert.All(partnerAtTheSameAddress, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertLimited(partnerPastItsLimit);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, webAppElsewhere.StatusCode);
    }

    [Fact]
    public async Task Webhooks_and_feeds_past_the_limit_of_one_address_get_429_and_another_address_behind_the_same_proxy_goes_on()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:WebhookRequestsPerMinute", "2"), (TrustedProxy, "127.0.0.1"));
        var http = gateway.CreateClient();
        var feed = $"/api/scheduling/feeds/{Guid.NewGuid():N}.ics";

        var withinLimit = new[]
        {
            await http.SendAsync(Via(HttpMethod.Get, feed, "192.0.2.10")),
            await http.SendAsync(Via(HttpMethod.Get, feed, "192.0.2.10"))
        };
        var pastLimit = await http.SendAsync(Via(HttpMethod.Get, feed, "192.0.2.10"));
        var otherAddress = await http.SendAsync(Via(HttpMethod.Get, feed, "192.0.2.11"));

        Assert.All(withinLimit, r => Assert.NotEqual(HttpStatusCode.TooManyRequests, r.StatusCode));
        await AssertLimited(pastLimit);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherAddress.StatusCode);
    }

    [Fact]
    public async Task X_forwarded_for_from_a_proxy_that_is_not_configured_is_ignored_so_a_caller_cannot_choose_its_own_bucket()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:TokenRequestsPerMinute", "2"), (TrustedProxy, "10.20.30.40"));
        var http = gateway.CreateClient();

        var first = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.1"));
        var second = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.2"));
        var third = await http.SendAsync(TokenRequest("demo-clinic", "demo-clinic-secret", "198.51.100.3"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        await AssertLimited(third);
    }
}
