using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// A minimal SMTP server on loopback that answers RCPT TO with scripted replies, one per connection in turn,
/// then 250 for all further connections. It stands in for a relay that refuses or defers a recipient, which
/// the sink cannot be made to do.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly Queue<string> recipientReplies;
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    int connections;
    int accepted;

    public ScriptedSmtpServer(params string[] recipientReplies)
    {
        this.recipientReplies = new Queue<string>(recipientReplies);
        listener.Start();
        accepting = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref connections);

    public int MessagesAccepted => Volatile.Read(ref accepted);

    async Task Accept()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref connections);
            string recipientReply;
            lock (recipientReplies) recipientReply = recipientReplies.TryDequeue(out var next) ? next : "250 2.1.5 OK";
            _ = Converse(client, recipientReply);
        }
    }

    async Task Converse(TcpClient client, string recipientReply)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 scripted ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO" or "MAIL" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync(recipientReply);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                        {
                        }
                        Interlocked.Increment(ref accepted);
                        await writer.WriteLineAsync("250 2.0.0 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up, or the server is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
