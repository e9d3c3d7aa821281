using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace VirtualIop.Web.StaffConsole;

/// <summary>Puts the signed-in staff member's saved access token on each call to the gateway; without one the call goes out bare (and the gateway answers 401).</summary>
public sealed class StaffTokenHandler(IHttpContextAccessor http) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext is { } context && await context.GetTokenAsync(ConsoleAuth.Scheme, "access_token") is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
