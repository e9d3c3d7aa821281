using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// A private smtp4dev (the repository's tool, in memory, on free ports) for the benchmark, so tens of thousands of
/// messages never reach the sink the other tests share and page through.
/// </summary>
public sealed class PrivateMailSink : IAsyncDisposable
{
    readonly Process process;
    readonly HttpClient api;

    PrivateMailSink(Process process, int smtpPort, HttpClient api)
    {
        this.process = process;
        SmtpPort = smtpPort;
        this.api = api;
    }

    public int SmtpPort { get; }

    public static async Task<PrivateMailSink> Start()
    {
        var httpPort = FreePort();
        var smtpPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        };
        foreach (var arg in new[]
                 {
                     "tool", "run", "smtp4dev", "--", $"--urls=http://127.0.0.1:{httpPort}", $"--smtpport={smtpPort}", "--imapport=", "--pop3port=",
                     "--hostname=localhost", "--db=", "--nousersettings", "--messagestokeep=1000000", "--sessionstokeep=10"
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start smtp4dev.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sink = new PrivateMailSink(process, smtpPort, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") });
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                await sink.Count();
                return sink;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>How many messages the sink holds (a page of one per message).</summary>
    public async Task<int> Count() =>
        (await api.GetFromJsonAsync<JsonElement>("api/messages?page=1&pageSize=1")).GetProperty("pageCount").GetInt32();

    /// <summary>Every recipient the sink received a message for, one entry per message.</summary>
    public async Task<IReadOnlyList<string>> Recipients()
    {
        var all = new List<string>();
        for (var page = 1; ; page++)
        {
            var result = await api.GetFromJsonAsync<JsonElement>($"api/messages?page={page}&pageSize=1000");
            all.AddRange(result.GetProperty("results").EnumerateArray().Select(m => string.Join(",", m.GetProperty("to").EnumerateArray().Select(t => t.GetString()))));
            if (page >= result.GetProperty("pageCount").GetInt32()) return all;
        }
    }

    public async Task Clear() => (await api.DeleteAsync("api/messages/*")).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        api.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) return dir.FullName;
        throw new InvalidOperationException("No .config/dotnet-tools.json above the test binaries: cannot start smtp4dev.");
    }

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
