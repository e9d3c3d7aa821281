using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Web.Patient;

/// <summary>
/// The patient pages' calls to the partner API through the gateway, each carrying the signed-in patient's token
/// (<see cref="SignedInTokenHandler"/>). Answers become <see cref="ApiResult{T}"/>: the value, or what the API said was wrong.
/// </summary>
public sealed class PatientGateway(IHttpClientFactory clients)
{
    public const string ClientName = "gateway.patient";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> Get<T>(string path, CancellationToken ct) => Send<T>(HttpMethod.Get, path, null, null, ct);

    /// <summary>A creating POST carries an Idempotency-Key (the form's, so a second press of the button does nothing twice).</summary>
    public Task<ApiResult<T>> Post<T>(string path, object? body, string? idempotencyKey, CancellationToken ct) =>
        Send<T>(HttpMethod.Post, path, body, idempotencyKey ?? Guid.NewGuid().ToString(), ct);

    public Task<ApiResult<T>> Put<T>(string path, object? body, CancellationToken ct) => Send<T>(HttpMethod.Put, path, body, null, ct);

    public Task<ApiResult<T>> Delete<T>(string path, CancellationToken ct) => Send<T>(HttpMethod.Delete, path, null, null, ct);

    async Task<ApiResult<T>> Send<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        // Buffered, so the request has a length and a retry sends the same bytes (the Idempotency-Key hashes them).
        if (body is not null) request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } }
        };
        if (idempotencyKey is not null) request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            var value = response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
                ? default
                : await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return new ApiResult<T>(ApiOutcome.Ok, value, null);
        }
        var problem = ApiProblem.Parse(await response.Content.ReadAsStringAsync(ct));
        return new ApiResult<T>(OutcomeOf(response.StatusCode), default, problem);
    }

    static ApiOutcome OutcomeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ApiOutcome.Invalid,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ApiOutcome.Expired,
        HttpStatusCode.NotFound => ApiOutcome.NotFound,
        HttpStatusCode.Conflict => ApiOutcome.Conflict,
        _ => ApiOutcome.Failed
    };
}
