using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace VirtualIop.Gateway.Tests;

public sealed class TokenEndpointTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    const string DemoClinic = "3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01";

    [Fact]
    public async Task Registered_client_gets_a_token_carrying_its_clinic_and_scopes()
    {
        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", "demo-clinic"), ("client_secret", "demo-clinic-secret"), ("scope", "scheduling attendance")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("scheduling attendance", body.GetProperty("scope").GetString());
        var jwt = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(DemoClinic, jwt.GetClaim("clinic_id").Value);
        Assert.Equal("virtualiop-api", Assert.Single(jwt.Audiences));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Client_credentials_in_a_basic_header_are_accepted()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = Form(("grant_type", "client_credentials")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("other-clinic:other-clinic-secret")));

        var response = await gateway.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_as_invalid_client()
    {
        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", "demo-clinic"), ("client_secret", "guess")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Scope_the_client_was_not_granted_is_refused()
    {
        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", "demo-clinic"), ("client_secret", "demo-clinic-secret"), ("scope", "admin")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Other_grant_types_are_refused()
    {
        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", "password"),
            ("client_id", "demo-clinic"), ("client_secret", "demo-clinic-secret")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/api/scheduling/sessions")]
    [InlineData("/api/engagement/follow-ups")]
    public async Task Api_call_without_a_token_is_refused_at_the_gateway_with_problem_details(string path)
    {
        var response = await gateway.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_sms_provider_reaches_the_inbound_webhook_without_a_token()
    {
        // The provider signs its request instead (checked by Notification); the gateway must let it through.
        var response = await gateway.CreateClient().PostAsync($"/api/notification/sms/inbound/{Guid.NewGuid()}",
            Form(("From", "+15551234567"), ("Body", "STOP")));

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/attendance/webhooks/telehealth/3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01")]
    [InlineData("/api/scheduling/webhooks/recordings/3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01")]
    public async Task Signed_platform_webhooks_pass_the_gateway_without_a_token(string path)
    {
        // The platform signs its body (checked by the service behind); the gateway must not demand a bearer token.
        var response = await gateway.CreateClient().PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_calendar_app_fetches_a_feed_without_a_token()
    {
        // Calendar apps cannot send bearer tokens; the secret in the feed URL is the credential.
        var response = await gateway.CreateClient().GetAsync($"/api/scheduling/feeds/{Guid.NewGuid():N}.ics");

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_routes_do_not_open_the_rest_of_a_service()
    {
        var response = await gateway.CreateClient().GetAsync("/api/attendance/sessions/" + Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_call_with_a_forged_token_is_refused_at_the_gateway()
    {
        var client = gateway.CreateClient();
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(
            """{"iss":"urn:virtualiop:dev","aud":"virtualiop-api","clinic_id":"3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01","scope":"scheduling"}""",
            new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Encoding.UTF8.GetBytes("not-the-gateway-key-0123456789abcdef")),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        var response = await client.GetAsync("/api/scheduling/sessions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
