using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>
/// An smtp4dev SMTP sink for tests (xunit class or collection fixture): from
/// <see cref="TestEnvironment.SmtpHost"/>/<see cref="TestEnvironment.SmtpPort"/>/<see cref="TestEnvironment.MailSinkUrl"/>
/// when set (scripts/test.sh), else it starts smtp4dev itself (<c>dotnet tool run smtp4dev</c>, from the repo's
/// tool manifest) on free ports, in memory. Mail is read back through smtp4dev's HTTP API.
/// Give every test its own recipient addresses: the sink is shared.
/// </summary>
public sealed class SmtpSink : IAsyncLifetime
{
    Process? _process;
    HttpClient? _api;

    /// <summary>SMTP host for the code under test.</summary>
    public string SmtpHost { get; private set; } = "127.0.0.1";

    /// <summary>SMTP port for the code under test.</summary>
    public int SmtpPort { get; private set; }

    /// <summary>smtp4dev web/API base URL.</summary>
    public Uri ApiBaseUrl => _api?.BaseAddress ?? throw new InvalidOperationException("SmtpSink is not initialised yet.");

    HttpClient Api => _api ?? throw new InvalidOperationException("SmtpSink is not initialised yet.");

    /// <summary>A sink that is already running (such as the AppHost's mailsink), read through its API.</summary>
    public static SmtpSink Connect(Uri apiBaseUrl) =>
        new() { _api = new HttpClient { BaseAddress = new Uri(apiBaseUrl.ToString().TrimEnd('/') + "/") } };

    public async Task InitializeAsync()
    {
        if (TestEnvironment.Get(TestEnvironment.MailSinkUrl) is { } url)
        {
            SmtpHost = TestEnvironment.Get(TestEnvironment.SmtpHost) ?? "127.0.0.1";
            SmtpPort = int.Parse(TestEnvironment.Get(TestEnvironment.SmtpPort)
                ?? throw TestEnvironment.Unavailable("SMTP port", TestEnvironment.SmtpPort));
            _api = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/") };
            return;
        }

        await StartOwnSmtp4devAsync();
    }

    async Task StartOwnSmtp4devAsync()
    {
        var repoRoot = FindRepoRoot()
            ?? throw TestEnvironment.Unavailable("SMTP sink (and no .config/dotnet-tools.json found to start smtp4dev)",
                TestEnvironment.SmtpHost, TestEnvironment.SmtpPort, TestEnvironment.MailSinkUrl);
        var httpPort = FreePort();
        SmtpPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "tool", "run", "smtp4dev", "--",
            $"--urls=http://127.0.0.1:{httpPort}", $"--smtpport={SmtpPort}", "--imapport=", "--pop3port=",
            "--hostname=localhost", "--db=", "--nousersettings", "--messagestokeep=100000", "--sessionstokeep=100000",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start 'dotnet tool run smtp4dev'.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    "smtp4dev exited at start-up (run 'dotnet tool restore' in the repository root?):\n" + string.Join('\n', output));
            }

            try
            {
                using var response = await Api.GetAsync("api/messages?pageSize=1");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("smtp4dev did not answer within 60 s:\n" + string.Join('\n', output));
            }

            await Task.Delay(250);
        }
    }

    /// <summary>All received messages addressed (To/Cc/Bcc envelope) to <paramref name="recipient"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MessagesToAsync(string recipient) =>
        (await AllMessagesAsync())
            .Where(m => m.IsAddressedTo(recipient))
            .OrderBy(m => m.ReceivedDate)
            .ToList();

    /// <summary>Every message in the sink, read page by page (for tests that count many recipients at once).</summary>
    public async Task<IReadOnlyList<ReceivedMail>> AllMessagesAsync()
    {
        var all = new List<ReceivedMail>();
        for (var page = 1; ; page++)
        {
            var result = await Api.GetFromJsonAsync<MessagePage>($"api/messages?page={page}&pageSize=500")
                ?? throw new InvalidOperationException("smtp4dev returned no message list.");
            all.AddRange(result.Results);
            if (page >= result.PageCount)
            {
                break;
            }
        }

        return all;
    }

    /// <summary>The plain-text body of a message (smtp4dev <c>GET /api/messages/{id}/plaintext</c>).</summary>
    public async Task<string> GetPlainTextAsync(ReceivedMail mail)
    {
        using var response = await Api.GetAsync($"api/messages/{Uri.EscapeDataString(mail.Id)}/plaintext");
        return response.StatusCode == HttpStatusCode.NotFound ? "" : await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    /// <summary>The HTML body of a message, or null when it has none.</summary>
    public async Task<string?> GetHtmlAsync(ReceivedMail mail)
    {
        using var response = await Api.GetAsync($"api/messages/{Uri.EscapeDataString(mail.Id)}/html");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    /// <summary>The raw message source (headers and MIME body).</summary>
    public async Task<string> GetRawAsync(ReceivedMail mail) =>
        await Api.GetStringAsync($"api/messages/{Uri.EscapeDataString(mail.Id)}/raw");

    /// <summary>
    /// Polls until a message to <paramref name="recipient"/> matching <paramref name="predicate"/> (default: any)
    /// arrives, and returns it; throws <see cref="TimeoutException"/> listing what did arrive otherwise.
    /// </summary>
    public async Task<ReceivedMail> WaitForMessageAsync(
        string recipient, Func<ReceivedMail, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var messages = await MessagesToAsync(recipient);
            if (messages.FirstOrDefault(predicate ?? (_ => true)) is { } match)
            {
                return match;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"No matching mail to {recipient} within {timeout ?? TimeSpan.FromSeconds(30)}; received: " +
                    (messages.Count == 0 ? "none" : string.Join("; ", messages.Select(m => $"'{m.Subject}' at {m.ReceivedDate:O}"))));
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The newest message to <paramref name="recipient"/> matching <paramref name="predicate"/> (default: any), once at
    /// least one has arrived; throws <see cref="TimeoutException"/> as <see cref="WaitForMessageAsync"/> does otherwise.
    /// </summary>
    public async Task<ReceivedMail> LatestMessageToAsync(
        string recipient, Func<ReceivedMail, bool>? predicate = null, TimeSpan? timeout = null)
    {
        await WaitForMessageAsync(recipient, predicate, timeout);
        return (await MessagesToAsync(recipient)).Last(predicate ?? (_ => true));
    }

    /// <summary>Every web link in a message: its HTML body's hrefs, then the addresses in its plain text, each once.</summary>
    public async Task<IReadOnlyList<Uri>> LinksInAsync(ReceivedMail mail) =>
        MailLinks.In(await GetHtmlAsync(mail), await GetPlainTextAsync(mail));

    public async Task DisposeAsync()
    {
        _api?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    sealed record MessagePage(
        [property: JsonPropertyName("results")] List<ReceivedMail> Results,
        [property: JsonPropertyName("pageCount")] int PageCount);
}

/// <summary>A message in the sink, as smtp4dev lists it (<c>GET /api/messages</c>).</summary>
public sealed record ReceivedMail(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] IReadOnlyList<string> To,
    [property: JsonPropertyName("deliveredTo")] string? DeliveredTo,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("receivedDate")] DateTimeOffset ReceivedDate,
    [property: JsonPropertyName("attachmentCount")] int AttachmentCount)
{
    /// <summary>True when the message was delivered to, or lists, <paramref name="recipient"/> (case-insensitive).</summary>
    public bool IsAddressedTo(string recipient) =>
        (DeliveredTo?.Split(',', StringSplitOptions.TrimEntries) ?? []).Concat(To ?? [])
            .Any(address => string.Equals(BareAddress(address), BareAddress(recipient), StringComparison.OrdinalIgnoreCase));

    static string BareAddress(string address)
    {
        var open = address.LastIndexOf('<');
        var close = address.LastIndexOf('>');
        return (open >= 0 && close > open ? address[(open + 1)..close] : address).Trim();
    }
}
