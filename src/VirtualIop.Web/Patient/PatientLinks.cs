using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VirtualIop.Web.Patient;

public abstract record LinkRedemption
{
    public sealed record Redeemed(string AccessToken, PatientToken Token) : LinkRedemption;

    /// <summary>invalid_grant: the link expired, was replaced or revoked.</summary>
    public sealed record Refused : LinkRedemption;

    /// <summary>The token endpoint could not be reached or refused this app itself.</summary>
    public sealed record Unavailable : LinkRedemption;
}

/// <summary>
/// Redeems a personal link at the gateway's token endpoint (grant <see cref="GrantType"/>) as this app's own client.
/// The link is a credential: it goes in the form body only and is never logged.
/// </summary>
public sealed class PatientLinks(IHttpClientFactory clients, IOptions<WebOptions> options, ILogger<PatientLinks> logger)
{
    public const string GrantType = "urn:virtualiop:grant-type:patient-link";

    /// <summary>Longer than any link the clinic sends; anything longer is refused without a call.</summary>
    public const int MaxLinkLength = 512;

    public async Task<LinkRedemption> Redeem(string link, CancellationToken ct)
    {
        if (link.Length is 0 or > MaxLinkLength || link.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '~')))
            return new LinkRedemption.Refused();

        var settings = options.Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["link"] = link,
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret ?? ""
        });
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(GatewayClient.Name).PostAsync(PatientApiRoutes.Token, form, ct);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("The token endpoint could not be reached to redeem a patient link: {Error}", e.Message);
            return new LinkRedemption.Unavailable();
        }
        using (response)
        {
            if (response.IsSuccessStatusCode
                && await response.Content.ReadFromJsonAsync<TokenAnswer>(PatientGateway.Json, ct) is { AccessToken: { Length: > 0 } accessToken }
                && PatientToken.Read(accessToken) is { } token)
            {
                return new LinkRedemption.Redeemed(accessToken, token);
            }
            var error = response.StatusCode == HttpStatusCode.BadRequest ? await ErrorCode(response, ct) : null;
            if (error == "invalid_grant") return new LinkRedemption.Refused();
            logger.LogWarning("The token endpoint answered {Status} ({Error}) to a patient link redemption", (int)response.StatusCode, error);
            return new LinkRedemption.Unavailable();
        }
    }

    /// <summary>The language the patient chose in their contact preferences, read with the token just redeemed; null when unknown.</summary>
    public async Task<string?> PreferredLanguage(LinkRedemption.Redeemed redeemed, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PatientApiRoutes.Contact(redeemed.Token.PatientId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", redeemed.AccessToken);
        using var response = await clients.CreateClient(GatewayClient.Name).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return null;
        return (await response.Content.ReadFromJsonAsync<PatientContact>(PatientGateway.Json, ct))?.Language;
    }

    static async Task<string?> ErrorCode(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<TokenAnswer>(PatientGateway.Json, ct))?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    sealed record TokenAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string? AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string? Error);
}
