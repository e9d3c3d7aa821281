using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtualIop.TestSupport;

/// <summary>A request as the listener received it, and the status code it was answered with.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Status = 0)
{
    public IReadOnlyDictionary<string, string> Form() => Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(kv => WebUtility.UrlDecode(kv[0]), kv => WebUtility.UrlDecode(kv.Length > 1 ? kv[1] : ""));
}

/// <summary>
/// A real HTTP listener on 127.0.0.1 and a free port standing in for a provider or a partner's endpoint (the SMS
/// provider, a help desk, a clinic's webhook endpoint, Notification's link redemptions): it records every request in
/// arrival order and answers with <see cref="Decide"/> when set, else the status codes it is scripted with (then 201 for
/// the rest), with <see cref="ResponseBody"/>. It can hold back its answer to the first request (a provider that took
/// the message and then went quiet).
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    readonly HttpListener listener = new();
    readonly ConcurrentQueue<HttpStatusCode> script;
    readonly ConcurrentQueue<RecordedRequest> received = new();
    readonly CancellationTokenSource stop = new();
    readonly Task loop;
    TimeSpan firstAnswerDelay;

    public RecordingHttpServer(params HttpStatusCode[] answers) : this(TimeSpan.Zero, answers)
    {
    }

    /// <param name="firstAnswerDelay">How long the answer to the first request waits; later requests are answered meanwhile.</param>
    public RecordingHttpServer(TimeSpan firstAnswerDelay, params HttpStatusCode[] answers)
    {
        this.firstAnswerDelay = firstAnswerDelay;
        script = new ConcurrentQueue<HttpStatusCode>(answers);
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<RecordedRequest> Requests => received.ToList();

    /// <summary>Decides the status for each request, in place of the script; it sees the requests one at a time.</summary>
    public Func<RecordedRequest, HttpStatusCode>? Decide { get; set; }

    /// <summary>The JSON every answer carries.</summary>
    public string ResponseBody { get; init; } = "{}";

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
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body);
            var status = Decide?.Invoke(request) ?? (script.TryDequeue(out var scripted) ? scripted : HttpStatusCode.Created);
            received.Enqueue(request with { Status = (int)status });
            var delay = firstAnswerDelay;
            firstAnswerDelay = TimeSpan.Zero;
            if (delay > TimeSpan.Zero)
                _ = AnswerLater(context, status, delay);
            else
                await Answer(context, status);
        }
    }

    async Task AnswerLater(HttpListenerContext context, HttpStatusCode status, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, stop.Token);
            await Answer(context, status);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The server is stopping, or the client gave up on the answer.
        }
    }

    async Task Answer(HttpListenerContext context, HttpStatusCode status)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(ResponseBody));
        context.Response.Close();
    }

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
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
        stop.Dispose();
    }
}
