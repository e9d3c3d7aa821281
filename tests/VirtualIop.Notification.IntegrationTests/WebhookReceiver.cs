using System.Net;
using System.Text.Json;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>A webhook as a clinic's endpoint received it, with the status code it answered.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Answer)
{
    public string Id => Headers["VirtualIop-Webhook-Id"];

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public long? Version => Json.GetProperty("version").ValueKind == JsonValueKind.Number ? Json.GetProperty("version").GetInt64() : null;
}

/// <summary>
/// A clinic's webhook endpoint: the shared <see cref="RecordingHttpServer"/>, answering each request with what
/// <see cref="Answer"/> decides for it (200 unless told otherwise), read back as webhooks.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly RecordingHttpServer server = new();

    public WebhookReceiver() => server.Decide = request => (HttpStatusCode)Answer(request.Path, request.Headers, request.Body);

    public int Port => server.Port;

    /// <summary>Decides the status code for a request (its path, headers and body); it sees the requests one at a time.</summary>
    public Func<string, IReadOnlyDictionary<string, string>, string, int> Answer { get; set; } = (_, _, _) => 200;

    public string Url(string path) => $"{server.BaseUrl}/{path}";

    public IReadOnlyList<ReceivedWebhook> Requests(string path) =>
        server.Requests.Where(r => r.Path == "/" + path).Select(r => new ReceivedWebhook(r.Path, r.Headers, r.Body, r.Status)).ToList();

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
