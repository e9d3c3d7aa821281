using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>A message the server took: its Message-ID and the recipient it was for.</summary>
public sealed record AcceptedMail(string? MessageId, string? Recipient);

/// <summary>
/// A minimal SMTP server on loopback that answers RCPT TO with scripted replies, one per connection in turn,
/// then 250 for all further connections. It stands in for a relay that refuses or defers a recipient, which
/// the sink cannot be made to do. It can also stall chosen sessions (numbered from 1, in the order they connect)
/// after taking their first message: the message counts as accepted (the worst case for a sender, a relay that
/// keeps what it got) but the reply to the end of DATA comes only after the stall.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly Queue<string> recipientReplies;
    readonly Func<int, bool> stallsAfterData;
    readonly TimeSpan stall;
    readonly ConcurrentQueue<AcceptedMail> mail = new();
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    int connections;
    int accepted;
    int stalled;

    public ScriptedSmtpServer(params string[] recipientReplies) : this(_ => false, TimeSpan.Zero, recipientReplies)
    {
    }

    /// <param name="stallsAfterData">Which sessions stall after their first message.</param>
    /// <param name="stall">How long the reply to that message's end of DATA waits.</param>
    public ScriptedSmtpServer(Func<int, bool> stallsAfterData, TimeSpan stall, params string[] recipientReplies)
    {
        this.recipientReplies = new Queue<string>(recipientReplies);
        this.stallsAfterData = stallsAfterData;
        this.stall = stall;
        listener.Start();
        accepting = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref connections);

    public int MessagesAccepted => Volatile.Read(ref accepted);

    /// <summary>How many sessions stalled after taking a message.</summary>
    public int Stalled => Volatile.Read(ref stalled);

    /// <summary>Every message taken, in order.</summary>
    public IReadOnlyList<AcceptedMail> Mail => mail.ToList();

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
            var session = Interlocked.Increment(ref connections);
            string recipientReply;
            lock (recipientReplies) recipientReply = recipientReplies.TryDequeue(out var next) ? next : "250 2.1.5 OK";
            _ = Converse(client, recipientReply, stallsAfterData(session));
        }
    }

    async Task Converse(TcpClient client, string recipientReply, bool stallAfterData)
    {
        string? recipient = null;
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
                        recipient = line.Split(':', 2)[1].Trim().Trim('<', '>');
                        await writer.WriteLineAsync(recipientReply);
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        string? messageId = null;
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                            if (messageId is null && data.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                                messageId = data["Message-ID:".Length..].Trim().Trim('<', '>');
                        Interlocked.Increment(ref accepted);
                        mail.Enqueue(new AcceptedMail(messageId, recipient));
                        if (stallAfterData)
                        {
                            stallAfterData = false;
                            Interlocked.Increment(ref stalled);
                            await Task.Delay(stall, stop.Token);
                        }
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
