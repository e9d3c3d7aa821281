using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace VirtualIop.Web.Patient;

/// <summary>Sends the signed-in patient's access token, kept in their cookie, with each call to the gateway.</summary>
public sealed class PatientBearerHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } http && await http.GetTokenAsync(PatientAuth.Scheme, PatientAuth.AccessTokenName) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
