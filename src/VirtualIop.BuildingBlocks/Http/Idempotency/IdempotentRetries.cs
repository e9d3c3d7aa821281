using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Workers;

namespace VirtualIop.BuildingBlocks.Http.Idempotency;

/// <summary>Endpoint metadata: the endpoint creates something, and honours an <c>Idempotency-Key</c> header.</summary>
public sealed record IdempotentCreation;

/// <summary>
/// Safe retries of creating POSTs, as Stripe has them. A request with an <c>Idempotency-Key</c> claims the key (per partner
/// client and clinic, from the validated token) before its endpoint runs. A successful (2xx) answer is stored with the key and
/// replayed, status, body and <c>Location</c>, to every retry with the same key and the same request (method, path and body)
/// for 24 hours, marked <c>Idempotent-Replayed: true</c>; nothing runs again. The same key with another request answers 422.
/// A retry that arrives while the first is still running waits for its answer a while, then answers 409 with
/// <c>Retry-After</c>. A refusal (4xx) or a failure creates nothing, so it is not stored: the key is released and a retry
/// runs afresh.
/// </summary>
public static class IdempotentRetries
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set on an answer that is the stored answer of the key's first request.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxKeyLength = 255;

    /// <summary>How long a retry waits for the first request with its key to finish before answering 409.</summary>
    static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(10);

    static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Marks a creating endpoint as one that honours the <c>Idempotency-Key</c> header.</summary>
    public static TBuilder Idempotent<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentCreation());

    /// <summary>The key store of the service's own database and the worker that forgets keys past their window.</summary>
    public static IServiceCollection AddIdempotentRetries(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyKeys>();
        services.AddSingleton<IdempotencyKeyRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyKeyRetention>());
        return services;
    }

    /// <summary>1 to 255 printable ASCII characters (a UUID is the usual choice).</summary>
    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');

    /// <summary>Runs after authentication and authorization, so that the token's clinic and client are known.</summary>
    public static IApplicationBuilder UseIdempotentRetries(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreation>() is null
            || !http.Request.Headers.TryGetValue(Header, out var values)
            || ClinicContext.FromPrincipal(http.User) is not { } clinic)
        {
            await next(http);
            return;
        }
        if (values.Count != 1 || values[0] is not { } key || !IsValidKey(key))
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [Header] = [$"Send one {Header} of 1 to {MaxKeyLength} printable ASCII characters, such as a UUID."],
            }).ExecuteAsync(http);
            return;
        }
        await Keyed(http, next, clinic, key);
    });

    static async Task Keyed(HttpContext http, RequestDelegate next, ClinicContext clinic, string key)
    {
        var keys = http.RequestServices.GetRequiredService<IdempotencyKeys>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var ct = http.RequestAborted;
        var fingerprint = await Fingerprint(http.Request, ct);
        var waitUntil = clock.GetUtcNow() + InFlightWait;
        while (true)
        {
            if (await keys.TryClaim(clinic.ClinicId, clinic.ClientId, key, fingerprint, ct) is { } claim)
            {
                await RunAndStore(http, next, keys, clinic, key, claim);
                return;
            }
            var holder = await keys.Holder(clinic.ClinicId, clinic.ClientId, key, ct);
            if (holder is null) continue;   // released by its request since the claim failed: claim it anew
            if (!CryptographicOperations.FixedTimeEquals(holder.RequestHash, fingerprint))
            {
                await Problem(StatusCodes.Status422UnprocessableEntity, $"This {Header} was used with another request.",
                    $"Each {Header} belongs to one request (method, path and body) for 24 hours; send a new key for a new request.").ExecuteAsync(http);
                return;
            }
            if (holder.Answer is { } answer)
            {
                await Replay(http, answer);
                return;
            }
            if (clock.GetUtcNow() >= waitUntil)
            {
                http.Response.Headers.RetryAfter = "1";
                await Problem(StatusCodes.Status409Conflict, $"A request with this {Header} is still in progress.",
                    "Retry after the Retry-After header's seconds to get its answer.").ExecuteAsync(http);
                return;
            }
            await Task.Delay(InFlightPoll, clock, ct);
        }
    }

    static async Task RunAndStore(HttpContext http, RequestDelegate next, IdempotencyKeys keys, ClinicContext clinic, string key, Guid claim)
    {
        var client = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        catch
        {
            http.Response.Body = client;
            await keys.Release(clinic.ClinicId, clinic.ClientId, key, claim, CancellationToken.None);
            throw;
        }
        http.Response.Body = client;
        var status = http.Response.StatusCode;
        if (status is >= 200 and < 300)
        {
            await keys.Complete(clinic.ClinicId, clinic.ClientId, key, claim,
                new StoredAnswer(status, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                    captured.ToArray()), CancellationToken.None);
        }
        else
        {
            await keys.Release(clinic.ClinicId, clinic.ClientId, key, claim, CancellationToken.None);
        }
        captured.Position = 0;
        await captured.CopyToAsync(client, http.RequestAborted);
    }

    static async Task Replay(HttpContext http, StoredAnswer answer)
    {
        http.Response.StatusCode = answer.StatusCode;
        if (answer.ContentType is { } contentType) http.Response.ContentType = contentType;
        if (answer.Location is { } location) http.Response.Headers.Location = location;
        http.Response.Headers[ReplayedHeader] = "true";
        http.Response.ContentLength = answer.Body.Length;
        await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
    }

    /// <summary>SHA-256 over the method, the path with its query, and the raw body; the body is rewound for the endpoint.</summary>
    static async Task<byte[]> Fingerprint(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Header] = [detail] })
        {
            Status = status,
            Title = title,
            Detail = detail,
        });
}
