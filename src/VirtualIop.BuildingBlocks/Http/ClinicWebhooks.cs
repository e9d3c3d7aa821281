using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// A platform webhook that holds no partner token (telehealth presence, recording progress): each clinic has its own
/// secret, <c>…:Secrets:{clinicId}</c> (at least <see cref="WebhookSignature.MinimumSecretLength"/> characters), so one
/// clinic's platform account can never speak for another clinic. A clinic without a secret has its webhooks refused (401).
/// </summary>
public class ClinicWebhookOptions
{
    /// <summary>The HMAC-SHA256 secret per clinic id, shared with the platform. Keep them in a secret store, not in appsettings.</summary>
    public Dictionary<string, string> Secrets { get; set; } = [];

    /// <summary>How far the signed timestamp may be from now, either way, before the call is refused as stale.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public string? SecretFor(Guid clinicId) =>
        Secrets.FirstOrDefault(s => Guid.TryParse(s.Key, out var id) && id == clinicId).Value is { Length: > 0 } secret ? secret : null;
}

/// <summary>The start-up checks of a clinic webhook's settings, the same for every service that takes one in.</summary>
public static class ClinicWebhookOptionsValidation
{
    /// <param name="section">The settings' configuration path, as the messages name it (e.g. "Attendance:Telehealth").</param>
    public static OptionsBuilder<T> ValidateClinicWebhook<T>(this OptionsBuilder<T> options, string section, Func<T, ClinicWebhookOptions> webhook)
        where T : class =>
        options
            .Validate(o => webhook(o).Secrets.All(s => Guid.TryParse(s.Key, out _)), $"{section}:Secrets keys must be clinic ids.")
            .Validate(o => webhook(o).Secrets.Values.All(v => v.Length >= WebhookSignature.MinimumSecretLength),
                $"{section}:Secrets values must be at least {WebhookSignature.MinimumSecretLength} characters.")
            .Validate(o => webhook(o).MaxClockSkew > TimeSpan.Zero, $"{section}:MaxClockSkew must be positive.");
}

/// <summary>A webhook body as signed, or the answer that refuses it and why (for the log: ids and the reason only).</summary>
public sealed record SignedWebhookBody(byte[]? Body, ProblemHttpResult? Refusal, string? Why);

/// <summary>How every service takes in a clinic's signed webhook: bounded body, the clinic's secret, one 401 shape.</summary>
public static class ClinicWebhooks
{
    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of the raw body and checks it against the clinic's secret; nothing of it
    /// is parsed before the signature holds. 413 when longer, 401 (naming the header at fault) when the clinic has no
    /// secret or the signature is missing, malformed, stale or wrong, including one made for another URL (another clinic's),
    /// and 415 for a signed body that is not declared JSON.
    /// </summary>
    public static async Task<SignedWebhookBody> ReadSigned(HttpRequest request, Guid clinicId, ClinicWebhookOptions options, DateTimeOffset now,
        int maxBytes, CancellationToken ct)
    {
        var body = await RequestBodies.ReadAtMost(request, maxBytes, ct);
        if (body is null)
        {
            return new(null, TypedResults.Problem(title: "The request body is too large.", detail: $"A webhook body is at most {maxBytes} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge), "body too large");
        }
        if (options.SecretFor(clinicId) is not { } secret) return new(null, Unauthorized(WebhookSignatureCheck.Mismatch, options.MaxClockSkew), "the clinic has no webhook secret");
        var check = WebhookSignature.Verify(secret, request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader],
            request.Method, Target(request), body, now, options.MaxClockSkew);
        if (check != WebhookSignatureCheck.Valid) return new(null, Unauthorized(check, options.MaxClockSkew), check.ToString());
        return request.HasJsonContentType()
            ? new(body, null, null)
            : new(null, TypedResults.Problem(title: "The body must be JSON.", detail: "Send the webhook with Content-Type: application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType), "not JSON");
    }

    /// <summary>The web defaults, refusing a NUL in text as the services' own bodies do (PostgreSQL cannot store one).</summary>
    static readonly JsonSerializerOptions Parsing = new(JsonSerializerOptions.Web) { Converters = { new NulFreeStringConverter() } };

    /// <summary>The request target as the sender signed it: path base, path and query, escaped; the gateway passes them through unchanged.</summary>
    public static string Target(HttpRequest request) =>
        request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();

    /// <summary>The signed body as <typeparamref name="T"/>; a malformed value is a field error naming where it sits.</summary>
    public static bool TryParse<T>(byte[] body, ValidationErrors errors, out T? value)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(body, Parsing);
            return true;
        }
        catch (JsonException json)
        {
            errors.Add(json.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body", "The value is missing, malformed or of the wrong type.");
            value = default;
            return false;
        }
    }

    static ProblemHttpResult Unauthorized(WebhookSignatureCheck check, TimeSpan maxSkew)
    {
        var (header, detail) = check switch
        {
            WebhookSignatureCheck.Missing or WebhookSignatureCheck.Malformed => (WebhookSignature.SignatureHeader,
                $"{WebhookSignature.TimestampHeader} must be Unix seconds and {WebhookSignature.SignatureHeader} sha256=<64 hex digits>."),
            WebhookSignatureCheck.Stale => (WebhookSignature.TimestampHeader,
                $"The signed timestamp is more than {maxSkew.TotalMinutes:0} minutes from now; replays are refused."),
            _ => (WebhookSignature.SignatureHeader, "The signature does not match this clinic's webhook secret.")
        };
        return TypedResults.Problem(title: "The webhook signature is not valid.", detail: detail, statusCode: StatusCodes.Status401Unauthorized,
            extensions: new Dictionary<string, object?> { ["header"] = header });
    }
}
