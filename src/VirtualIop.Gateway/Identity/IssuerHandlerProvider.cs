using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;

namespace VirtualIop.Gateway.Identity;

/// <summary>
/// Keeps the development issuer off the partner API. The authentication middleware offers every request to each handler
/// that may answer requests itself, and OpenIddict's works out, URI by URI, whether the request is one of its endpoints:
/// on every proxied call, about an eighth of the gateway's CPU (scripts/bench-gateway.sh), for a question whose answer
/// under <c>/api</c> is always no. There it gets no handler, so the gateway proxies the partner API as it does in
/// production, where no issuer runs in it.
/// </summary>
public sealed class IssuerHandlerProvider(AuthenticationHandlerProvider handlers) : IAuthenticationHandlerProvider
{
    public const string PartnerApiPrefix = "/api";

    public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme) =>
        authenticationScheme == OpenIddictServerAspNetCoreDefaults.AuthenticationScheme && context.Request.Path.StartsWithSegments(PartnerApiPrefix)
            ? Task.FromResult<IAuthenticationHandler?>(null)
            : handlers.GetHandlerAsync(context, authenticationScheme);
}
