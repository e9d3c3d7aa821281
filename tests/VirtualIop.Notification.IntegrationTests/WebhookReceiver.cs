using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
/// A clinic's webhook endpoint: a real HTTP listener on 127.0.0.1 and a free port that records every request in arrival
/// order and answers each with what <see cref="Answer"/> decides for it (200 unless told otherwise).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly HttpListener listener = new();
    readonly ConcurrentQueue<ReceivedWebhook> received = new();
    readonly Task loop;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public int Port { get; }

    /// <summary>Decides the status code for a request (its path, headers and body); it sees the requests one at a time.</summary>
    public Func<string, IReadOnlyDictionary<string, string>, string, int> Answer { get; set; } = (_, _, _) => 200;

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public IReadOnlyList<ReceivedWebhook> Requests(string path) => received.Where(r => r.Path == "/" + path).ToList();

    async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Url!.AbsolutePath;
            var status = Answer(path, headers, body);
            received.Enqueue(new ReceivedWebhook(path, headers, body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception)
        {
            // The loop ends with the listener; how it ended does not matter here.
        }
    }
}
