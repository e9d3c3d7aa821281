using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtualIop.Pipeline.IntegrationTests.Benchmarks;

/// <summary>
/// A minimal SMTP server on loopback that accepts every message and records, for each, its recipients, its subject
/// and the moment it answered 250 to the end of DATA: the moment the message was accepted. Latency benchmarks read
/// those moments; a shared sink's received date is neither precise enough nor cheap enough to page through.
/// </summary>
public sealed class TimestampingSmtpServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentQueue<AcceptedMail> accepted = new();
    readonly ConcurrentDictionary<string, byte> recipients = new();
    readonly Task accepting;

    public TimestampingSmtpServer()
    {
        listener.Start();
        accepting = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyList<AcceptedMail> Accepted => accepted.ToList();

    /// <summary>How many different recipients have had a message accepted (cheap to poll).</summary>
    public int DistinctRecipients => recipients.Count;

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
            _ = Converse(client);
        }
    }

    async Task Converse(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var envelope = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 timestamping ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "MAIL" or "RSET":
                        envelope.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        envelope.Add(Address(line));
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        string? subject = null;
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                            if (subject is null && data.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase)) subject = data[8..].Trim();
                        var at = DateTimeOffset.UtcNow;
                        foreach (var recipient in envelope)
                        {
                            accepted.Enqueue(new AcceptedMail(recipient, subject ?? "", at));
                            recipients.TryAdd(recipient, 0);
                        }
                        envelope.Clear();
                        await writer.WriteLineAsync("250 2.0.0 accepted");
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

    static string Address(string rcptLine)
    {
        var open = rcptLine.IndexOf('<');
        var close = rcptLine.IndexOf('>', open + 1);
        return (open >= 0 && close > open ? rcptLine[(open + 1)..close] : rcptLine[(rcptLine.IndexOf(':') + 1)..]).Trim().ToLowerInvariant();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}

/// <summary>One recipient of one accepted message, with the message's subject and the moment it was accepted.</summary>
public sealed record AcceptedMail(string Recipient, string Subject, DateTimeOffset AcceptedAt);
