using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace VirtualIop.Gateway.Identity;

/// <summary>
/// The development issuer runs OpenIddict in degraded mode (no stores): these handlers do what the stores would, from
/// configuration, and keep the gateway's limits and logging rules.
/// </summary>
public static class DevelopmentIssuerHandlers
{
    public static IEnumerable<OpenIddictServerHandlerDescriptor> All =>
    [
        RejectUnreadableForm<ExtractTokenRequestContext>.Before(
            OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext>.Descriptor.Order),
        RejectUnreadableForm<ExtractAuthorizationRequestContext>.Before(
            OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractAuthorizationRequestContext>.Descriptor.Order),
        LimitTokenRequests.Descriptor,
        KeepSecretsOutOfTheRequest<ExtractTokenRequestContext>.After(
            OpenIddictServerAspNetCoreHandlers.ExtractBasicAuthenticationCredentials<ExtractTokenRequestContext>.Descriptor.Order),
        KeepSecretsOutOfTheRequest<ExtractAuthorizationRequestContext>.After(
            OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractAuthorizationRequestContext>.Descriptor.Order),
        AuthenticateClients.Descriptor,
        ValidateWebClientRedirect.Descriptor
    ];

    /// <summary>
    /// The token endpoint's limits (<see cref="TokenRequestLimiter"/>), counted once the form and any basic credentials
    /// are read, since the client id picks the budget; failed guesses at a secret use it up too. OpenIddict answers the
    /// token endpoint while authenticating, ahead of the rate-limiting middleware, so the limits are applied here.
    /// </summary>
    public sealed class LimitTokenRequests(TokenRequestLimiter limiter, GatewayMetrics metrics) : IOpenIddictServerHandler<ExtractTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractTokenRequestContext>()
            .UseSingletonHandler<LimitTokenRequests>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractBasicAuthenticationCredentials<ExtractTokenRequestContext>.Descriptor.Order + 100)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ExtractTokenRequestContext context)
        {
            var http = HttpContextOf(context);
            var (lease, policy) = limiter.Acquire(http, context.Request?.ClientId);
            using (lease)
            {
                if (lease.IsAcquired) return;
                metrics.RecordRejected(policy);
                await GatewayRateLimits.Reject(http, lease);
                context.HandleRequest();
            }
        }
    }

    /// <summary>A form the reader cannot take apart (a key past the length limit, too many fields) is a bad request, not a 500.</summary>
    public sealed class RejectUnreadableForm<TContext> : IOpenIddictServerHandler<TContext> where TContext : BaseValidatingContext
    {
        public static OpenIddictServerHandlerDescriptor Before(int order) => OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<RejectUnreadableForm<TContext>>()
            .SetOrder(order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(TContext context)
        {
            var request = HttpContextOf(context).Request;
            if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType) return;
            try
            {
                await request.ReadFormAsync(context.CancellationToken);
            }
            catch (InvalidDataException)
            {
                context.Reject(Errors.InvalidRequest, "The form is malformed.");
            }
        }
    }

    /// <summary>
    /// Takes the personal link, the staff member's user name and password and the antiforgery token out of the parsed
    /// request, which OpenIddict logs; the endpoints read them from the form itself.
    /// </summary>
    public sealed class KeepSecretsOutOfTheRequest<TContext>(IOptions<AntiforgeryOptions> antiforgery) : IOpenIddictServerHandler<TContext>
        where TContext : BaseValidatingContext
    {
        public static OpenIddictServerHandlerDescriptor After(int order) => OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<KeepSecretsOutOfTheRequest<TContext>>()
            .SetOrder(order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(TContext context)
        {
            if (context.Transaction.Request is { } request)
            {
                foreach (var name in new[] { DevelopmentIssuer.LinkParameter, SignInPage.UsernameField, SignInPage.PasswordField, antiforgery.Value.FormFieldName }) request.RemoveParameter(name);
            }
            return default;
        }
    }

    /// <summary>
    /// Client authentication, which degraded mode leaves to the host: a partner client by its secret for client credentials
    /// (and only the scopes it was granted), the web app by its secret for the authorization code and patient-link grants.
    /// </summary>
    public sealed class AuthenticateClients(DemoClientRegistry registry) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<AuthenticateClients>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateClientCredentialsParameters.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (context.Request.IsClientCredentialsGrantType())
            {
                if (registry.AuthenticatePartner(context.ClientId, context.ClientSecret) is not { } client)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
                }
                else if (context.Request.GetScopes().FirstOrDefault(s => !client.Scopes.Contains(s, StringComparer.Ordinal)) is { } refused)
                {
                    context.Reject(Errors.InvalidScope, $"Scope '{refused}' is not granted to this client.");
                }
            }
            else if (!registry.AuthenticateWeb(context.ClientId, context.ClientSecret))
            {
                context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
            }
            return default;
        }
    }

    /// <summary>Only the web app may ask for a code, and only for one of its own redirect URIs (compared exactly).</summary>
    public sealed class ValidateWebClientRedirect(DemoClientRegistry registry) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<ValidateWebClientRedirect>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
        {
            if (context.RedirectUri is { } redirectUri && registry.IsWebRedirectUri(context.ClientId, redirectUri))
            {
                context.SetRedirectUri(redirectUri);
            }
            else
            {
                context.Reject(Errors.InvalidRequest, "Unknown client, or a redirect_uri not registered for it.");
            }
            return default;
        }
    }

    static HttpContext HttpContextOf(BaseContext context) =>
        context.Transaction.GetHttpRequest()?.HttpContext
        ?? throw new InvalidOperationException("The development issuer runs only inside ASP.NET Core.");
}
