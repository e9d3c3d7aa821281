using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// The start-up checks of <see cref="PartnerAuthOptions"/>, all reported at once. Outside Development tokens come only from
/// the configured issuer (<c>Auth:Authority</c>, over https): the development issuer and its shared key exist only in
/// Development, so a service deployed with the issuer missing refuses to start rather than trust the shared key.
/// </summary>
public sealed class PartnerAuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<PartnerAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, PartnerAuthOptions options)
    {
        var failures = new List<string>();
        var development = environment.IsDevelopment();
        if (string.IsNullOrWhiteSpace(options.Audience))
            failures.Add($"{PartnerAuthOptions.SectionName}:Audience is required: the audience every partner token must carry.");
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
                || (authority.Scheme != Uri.UriSchemeHttps && (options.RequireHttpsMetadata || !development)))
            {
                failures.Add($"{PartnerAuthOptions.SectionName}:Authority must be the absolute https URL of the OAuth2 issuer.");
            }
        }
        else if (!development)
        {
            failures.Add($"{PartnerAuthOptions.SectionName}:Authority is required outside Development (environment '{environment.EnvironmentName}'): " +
                         "the OAuth2 issuer whose keys validate partner tokens. The development issuer and its shared key exist only in Development.");
        }
        else if (string.IsNullOrWhiteSpace(options.SigningKey)
                 || Encoding.UTF8.GetByteCount(options.SigningKey) < PartnerAuthenticationExtensions.MinimumSigningKeyBytes)
        {
            failures.Add($"{PartnerAuthOptions.SectionName}:SigningKey must be at least {PartnerAuthenticationExtensions.MinimumSigningKeyBytes} " +
                         "characters in Development without Auth:Authority: the key shared with the gateway's demo token endpoint.");
        }
        if (!options.RequireHttpsMetadata && !development)
            failures.Add($"{PartnerAuthOptions.SectionName}:RequireHttpsMetadata may be turned off only in Development.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
