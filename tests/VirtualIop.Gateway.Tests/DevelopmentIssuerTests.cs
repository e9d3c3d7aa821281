using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server.AspNetCore;

namespace VirtualIop.Gateway.Tests;

/// <summary>
/// The development issuer (OpenIddict in the gateway) over real HTTP: staff sign in to the web app with the authorization
/// code flow and PKCE, the web app redeems a patient's personal link, and partners still get client-credentials tokens.
/// Every token it issues must pass the same validation the services run, which the gateway runs first.
/// </summary>
public sealed partial class DevelopmentIssuerTests
{
    const string DemoClinic = "3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01";
    const string Coordinator = "7c1f3d8b-2e45-4a7f-9ba2-1d3e4f5a6b72";
    const string WebApp = "virtualiop-web";
    const string WebSecret = "virtualiop-web-secret";
    const string RedirectUri = "http://localhost:5080/signin-oidc";
    const string PatientLinkGrant = "urn:virtualiop:grant-type:patient-link";

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    static string AuthorizeUrl(string challenge, string redirectUri = RedirectUri) => QueryHelpers.AddQueryString("/connect/authorize",
        new Dictionary<string, string?>
        {
            ["client_id"] = WebApp, ["redirect_uri"] = redirectUri, ["response_type"] = "code", ["scope"] = "openid profile",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = "state-1", ["nonce"] = "nonce-1"
        });

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    /// <summary>What the sign-in page would post back: its hidden fields (the request and the antiforgery token).</summary>
    static async Task<Dictionary<string, string>> SignInForm(HttpResponseMessage page)
    {
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<label for=\"username\">", html);
        Assert.Contains("<label for=\"password\">", html);
        return HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    /// <summary>A browser's view: cookies kept (the antiforgery cookie), redirects not followed, on the gateway's Kestrel port.</summary>
    static HttpClient Browser(KestrelGateway gateway) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = gateway.CreateClient().BaseAddress
        };

    static async Task<HttpStatusCode> GatewayVerdict(KestrelGateway gateway, string accessToken)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        // The services behind are unreachable here: a token the gateway's validation accepts ends at the proxy (502).
        return (await client.GetAsync("/api/scheduling/programs")).StatusCode;
    }

    [Fact]
    public async Task A_coordinator_signs_in_with_pkce_and_the_tokens_name_the_user_the_clinic_and_the_role()
    {
        await using var gateway = new KestrelGateway();
        var browser = Browser(gateway);
        var (verifier, challenge) = Pkce();

        var form = await SignInForm(await browser.GetAsync(AuthorizeUrl(challenge)));
        form["username"] = "coordinator@demo-clinic";
        form["password"] = "demo-coordinator-password";
        var signedIn = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        var location = signedIn.Headers.Location!;
        Assert.Equal(RedirectUri, location.GetLeftPart(UriPartial.Path));
        var answer = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("state-1", answer["state"].ToString());
        FormUrlEncodedContent Exchange(string codeVerifier) => Form(("grant_type", "authorization_code"), ("code", answer["code"].ToString()),
            ("redirect_uri", RedirectUri), ("code_verifier", codeVerifier), ("client_id", WebApp), ("client_secret", WebSecret));

        var wrongVerifier = await browser.PostAsync("/connect/token", Exchange(Pkce().Verifier));
        var exchanged = await browser.PostAsync("/connect/token", Exchange(verifier));

        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);
        Assert.Equal("invalid_grant", (await wrongVerifier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var tokens = await exchanged.Content.ReadFromJsonAsync<JsonElement>();
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal((Coordinator, DemoClinic, "coordinator", WebApp),
            (access.Subject, access.GetClaim("clinic_id").Value, access.GetClaim("role").Value, access.GetClaim("client_id").Value));
        Assert.Equal(["attendance", "engagement", "notification", "scheduling"],
            access.GetClaim("scope").Value.Split(' ').Where(s => s is not ("openid" or "profile")).Order());
        Assert.Equal((HttpStatusCode.BadGateway, HttpStatusCode.Unauthorized),
            (await GatewayVerdict(gateway, access.EncodedToken), await GatewayVerdict(gateway, tokens.GetProperty("id_token").GetString()!)));

        // The id_token, checked the way the web app's OpenID Connect handler checks it: discovery, then the published keys.
        var discovery = new ConfigurationManager<OpenIdConnectConfiguration>(new Uri(browser.BaseAddress!, "/.well-known/openid-configuration").ToString(),
            new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(gateway.CreateClient()) { RequireHttps = false });
        var configuration = await discovery.GetConfigurationAsync(CancellationToken.None);
        var identity = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.GetProperty("id_token").GetString(), new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer, ValidAudience = WebApp, IssuerSigningKeys = configuration.SigningKeys
        });
        Assert.True(identity.IsValid, identity.Exception?.Message);
        Assert.Equal(new Uri(browser.BaseAddress!, "/connect/authorize").ToString(), configuration.AuthorizationEndpoint);
        Assert.Contains("S256", configuration.CodeChallengeMethodsSupported);
        Assert.Equal(("Casey Coordinator", "nonce-1", "coordinator", DemoClinic),
            ((string)identity.Claims["name"], (string)identity.Claims["nonce"], (string)identity.Claims["role"], (string)identity.Claims["clinic_id"]));
    }

    [Fact]
    public async Task A_wrong_password_or_a_form_without_its_antiforgery_token_gets_the_form_again_and_no_code()
    {
        await using var gateway = new KestrelGateway();
        var browser = Browser(gateway);
        var form = await SignInForm(await browser.GetAsync(AuthorizeUrl(Pkce().Challenge)));

        var wrongPassword = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(new Dictionary<string, string>(form)
        {
            ["username"] = "coordinator@demo-clinic", ["password"] = "demo-admin-password"
        }));
        var forged = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(
            form.Where(f => f.Key != "__RequestVerificationToken").Append(new("username", "coordinator@demo-clinic"))
                .Append(new("password", "demo-coordinator-password"))));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest), (wrongPassword.StatusCode, forged.StatusCode));
        Assert.Null(wrongPassword.Headers.Location);
        Assert.Null(forged.Headers.Location);
        var page = await wrongPassword.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", page);
        Assert.Contains("The user name or password is not right", page);
        Assert.DoesNotContain("demo-admin-password", page);
    }

    [Fact]
    public async Task A_redirect_uri_the_web_app_did_not_register_is_refused_without_a_redirect()
    {
        await using var gateway = new KestrelGateway();

        var response = await Browser(gateway).GetAsync(AuthorizeUrl(Pkce().Challenge, "https://attacker.example/signin-oidc"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_client_credentials_token_passes_the_validation_the_services_run()
    {
        await using var gateway = new KestrelGateway();

        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", "demo-clinic"), ("client_secret", "demo-clinic-secret")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        // Compact, as the demo scripts read it with sed.
        Assert.Contains("\"access_token\":\"", raw);
        var body = JsonDocument.Parse(raw).RootElement;
        Assert.Equal("scheduling attendance notification engagement", body.GetProperty("scope").GetString());
        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(("demo-clinic", "demo-clinic", "HS256"), (token.Subject, token.GetClaim("client_id").Value, token.Alg));
        Assert.Equal(HttpStatusCode.BadGateway, await GatewayVerdict(gateway, token.EncodedToken));
    }

    [Fact]
    public async Task The_web_app_redeems_a_personal_link_for_a_patient_token_that_ends_no_later_than_the_link()
    {
        var (clinic, patient, linkExpires) = (Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(20));
        await using var notification = new RecordingHttpServer(HttpStatusCode.OK)
        {
            ResponseBody = JsonSerializer.Serialize(new { clinicId = clinic, patientId = patient, expiresAt = linkExpires })
        };
        await using var gateway = new KestrelGateway(("services:notification:http:0", notification.BaseUrl));

        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", PatientLinkGrant),
            ("link", "personal-link-token"), ("client_id", WebApp), ("client_secret", WebSecret)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = new JsonWebToken((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
        Assert.Equal((patient.ToString(), patient.ToString(), clinic.ToString(), "patient", WebApp),
            (token.Subject, token.GetClaim("patient_id").Value, token.GetClaim("clinic_id").Value, token.GetClaim("scope").Value, token.GetClaim("client_id").Value));
        Assert.InRange(token.ValidTo, linkExpires.UtcDateTime.AddMinutes(-1), linkExpires.UtcDateTime.AddSeconds(1));
        var redemption = Assert.Single(notification.Requests);
        Assert.Equal(("POST", "/internal/patient-links/redemptions"), (redemption.Method, redemption.Path));
        Assert.Equal("personal-link-token", JsonDocument.Parse(redemption.Body).RootElement.GetProperty("token").GetString());
        var caller = new JsonWebToken(redemption.Headers["Authorization"]["Bearer ".Length..]);
        Assert.Equal(("virtualiop-gateway", "patient-links"), (caller.GetClaim("client_id").Value, caller.GetClaim("scope").Value));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task A_link_that_is_unknown_revoked_or_expired_gets_invalid_grant(HttpStatusCode answer)
    {
        await using var notification = new RecordingHttpServer(answer);
        await using var gateway = new KestrelGateway(("services:notification:http:0", notification.BaseUrl));

        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", PatientLinkGrant),
            ("link", "personal-link-token"), ("client_id", WebApp), ("client_secret", WebSecret)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Single(notification.Requests);
    }

    [Fact]
    public async Task A_partner_client_cannot_redeem_a_personal_link()
    {
        await using var notification = new RecordingHttpServer(HttpStatusCode.NotFound);
        await using var gateway = new KestrelGateway(("services:notification:http:0", notification.BaseUrl));

        var response = await gateway.CreateClient().PostAsync("/connect/token", Form(("grant_type", PatientLinkGrant),
            ("link", "personal-link-token"), ("client_id", "demo-clinic"), ("client_secret", "demo-clinic-secret")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Empty(notification.Requests);
    }

    [Fact]
    public async Task The_personal_link_and_the_staff_members_credentials_reach_no_log_line()
    {
        var link = $"link{Guid.NewGuid():N}";
        var logs = new CapturedLogs();
        await using var notification = new RecordingHttpServer(HttpStatusCode.NotFound);
        // Everything a verbose deployment would log, OpenIddict's parsed requests included.
        await using var gateway = new KestrelGateway(logs, ("services:notification:http:0", notification.BaseUrl),
            ("Logging:LogLevel:Default", "Debug"), ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"), ("Logging:LogLevel:OpenIddict", "Debug"));
        var browser = Browser(gateway);

        var redeemed = await browser.PostAsync("/connect/token", Form(("grant_type", PatientLinkGrant), ("link", link),
            ("client_id", WebApp), ("client_secret", WebSecret)));
        var form = await SignInForm(await browser.GetAsync(AuthorizeUrl(Pkce().Challenge)));
        form["username"] = "coordinator@demo-clinic";
        form["password"] = "demo-coordinator-password";
        var signedIn = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(form));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Found), (redeemed.StatusCode, signedIn.StatusCode));
        Assert.Contains(logs.Lines, line => line.StartsWith("OpenIddict", StringComparison.Ordinal) && line.Contains(PatientLinkGrant));
        Assert.Contains(logs.Lines, line => line.StartsWith("OpenIddict", StringComparison.Ordinal) && line.Contains("nonce-1"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(link) || line.Contains("coordinator@demo-clinic") || line.Contains("demo-coordinator-password"));
    }

    [Theory]
    [InlineData("/api/scheduling/programs", false)]
    [InlineData("/api", false)]
    [InlineData("/connect/token", true)]
    [InlineData("/.well-known/openid-configuration", true)]
    [InlineData("/apis", true)]
    public async Task The_issuer_answers_only_off_the_partner_api(string path, bool offered)
    {
        await using var gateway = new KestrelGateway();
        await using var scope = gateway.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Path = path;

        var handler = await scope.ServiceProvider.GetRequiredService<IAuthenticationHandlerProvider>()
            .GetHandlerAsync(http, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

        Assert.Equal(offered, handler is not null);
    }
}
