using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace VirtualIop.BrowserTests;

/// <summary>
/// A real HTTP listener on 127.0.0.1 standing in for the clinic's help desk: Notification's help-desk webhook posts
/// tickets here (the stack sets Notification:HelpDesk:WebhookUrl to it), and each body is kept as JSON.
/// </summary>
public sealed class HelpDeskListener : IAsyncDisposable
{
    public const string SigningSecret = "browser-tier-help-desk-secret";

    readonly HttpListener listener = new();
    readonly ConcurrentQueue<JsonElement> tickets = new();
    readonly Task loop;

    public HelpDeskListener()
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string TicketsUrl => $"http://127.0.0.1:{Port}/tickets";

    /// <summary>Polls until a ticket matching <paramref name="predicate"/> has arrived; throws listing what did arrive otherwise.</summary>
    public async Task<JsonElement> WaitForTicketAsync(Func<JsonElement, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (tickets.FirstOrDefault(predicate) is { ValueKind: JsonValueKind.Object } ticket) return ticket;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"No matching help-desk ticket within {timeout}; received: " +
                    (tickets.IsEmpty ? "none" : string.Join("; ", tickets.Select(t => t.GetRawText()))));
            await Task.Delay(250);
        }
    }

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

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                tickets.Enqueue(JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone());
            }

            context.Response.StatusCode = (int)HttpStatusCode.Created;
            context.Response.Close();
        }
    }

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
