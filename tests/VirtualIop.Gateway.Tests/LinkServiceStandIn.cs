using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtualIop.Gateway.Tests;

/// <summary>A request as the stand-in received it.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? Authorization, string Body);

/// <summary>
/// A real HTTP listener on 127.0.0.1 standing in for Notification's patient-link redemptions: it records each request and
/// answers with the one status and JSON body it was given.
/// </summary>
public sealed class LinkServiceStandIn : IAsyncDisposable
{
    readonly HttpListener listener = new();
    readonly ConcurrentQueue<ReceivedRequest> received = new();
    readonly HttpStatusCode status;
    readonly string body;
    readonly Task loop;

    public LinkServiceStandIn(HttpStatusCode status, string body = "{}")
    {
        this.status = status;
        this.body = body;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(BaseUrl + "/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    public IReadOnlyList<ReceivedRequest> Requests => received.ToList();

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
            received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                context.Request.Headers["Authorization"], await reader.ReadToEndAsync()));
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
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
