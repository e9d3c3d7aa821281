using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway.Identity;

/// <summary>What Notification knows of a personal link: whose it is and until when it holds.</summary>
public sealed record RedeemedLink(Guid ClinicId, Guid PatientId, DateTimeOffset ExpiresAt);

public enum RedemptionOutcome
{
    Redeemed,

    /// <summary>Unknown, revoked (404), expired (410) or malformed (400): the link grants nothing.</summary>
    Refused,

    /// <summary>Notification could not answer: try again later.</summary>
    Unavailable
}

/// <summary>
/// Redeems a patient's personal link with Notification, which keeps the links (only their hashes), found through service
/// discovery as <c>http://notification</c>. The gateway calls as itself: client <see cref="GatewayClientId"/> with the one
/// scope <see cref="Scope"/>, in a token it signs with the development key, since this grant exists only in Development.
/// The token names no clinic (the empty id): which clinic the link belongs to is what the call finds out.
/// </summary>
public sealed class PatientLinkRedemptions(HttpClient http, PartnerTokenIssuer issuer, ILogger<PatientLinkRedemptions> log)
{
    public const string GatewayClientId = "virtualiop-gateway";
    public const string Scope = "patient-links";
    public const string Path = "/internal/patient-links/redemptions";
    static readonly TimeSpan CallerTokenLifetime = TimeSpan.FromMinutes(5);

    public async Task<(RedemptionOutcome Outcome, RedeemedLink? Link)> Redeem(string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(new { token }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            issuer.Issue(Guid.Empty, GatewayClientId, [Scope], CallerTokenLifetime));
        try
        {
            using var response = await http.SendAsync(request, ct);
            // Unknown or revoked (404), expired (410), or not a link's token at all (400).
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.BadRequest)
                return (RedemptionOutcome.Refused, null);
            if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<RedeemedLink>(ct) is { } link
                && link.ClinicId != Guid.Empty && link.PatientId != Guid.Empty)
            {
                return (RedemptionOutcome.Redeemed, link);
            }
            log.LogWarning("Patient link redemption answered {Status} without a usable link", (int)response.StatusCode);
            return (RedemptionOutcome.Unavailable, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Refused connections, timeouts and open circuits from the resilience pipeline, an unreadable answer.
            log.LogWarning("Patient link redemption failed: {Error}", e.GetType().Name);
            return (RedemptionOutcome.Unavailable, null);
        }
    }
}
