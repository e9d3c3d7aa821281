using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace VirtualIop.Web;

/// <summary>
/// Puts the access token saved in the signed-in user's cookie of <paramref name="scheme"/> (a patient's or a staff
/// member's) on each call to the gateway; without one the call goes out bare, and the gateway answers 401.
/// </summary>
public sealed class SignedInTokenHandler(IHttpContextAccessor accessor, string scheme) : DelegatingHandler
{
    /// <summary>The name the saved token goes by, for both the patient's cookie and the OIDC handler's SaveTokens.</summary>
    public const string AccessTokenName = "access_token";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } http && await http.GetTokenAsync(scheme, AccessTokenName) is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
