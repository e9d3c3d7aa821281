using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VirtualIop.TestSupport;

/// <summary>
/// One OS process the suite started (a server or a service replica), with its output appended to a log file.
/// <see cref="Kill"/> is kill -9 of the process and everything it started (never of anything else: the shared
/// test servers and an epmd the node did not start are not its descendants).
/// </summary>
public sealed class OsProcess
{
    readonly Process process;

    OsProcess(Process process, string logFile)
    {
        this.process = process;
        LogFile = logFile;
    }

    public string LogFile { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="command"/> through bash's exec, so the process id is the command's own and its output
    /// goes to <paramref name="logFile"/> (appended across restarts).
    /// </summary>
    public static OsProcess Start(string command, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$LOG_FILE\" 2>&1 </dev/null");
        start.ArgumentList.Add(command);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["LOG_FILE"] = logFile;
        File.AppendAllText(logFile, $"----- {DateTimeOffset.UtcNow:O} start {command} {string.Join(' ', arguments)}{Environment.NewLine}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        return new OsProcess(process, logFile);
    }

    /// <summary>kill -9 of the process tree, then waits until the process is gone.</summary>
    public async Task Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Waits until the process ends by itself and returns its exit code.</summary>
    public async Task<int> WaitForExit()
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>The last lines of the log, for a failure message.</summary>
    public string LogTail(int lines = 40) =>
        File.Exists(LogFile) ? string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    /// <summary>Polls <paramref name="ready"/> until it holds; fails at once when the process exits, or after <paramref name="timeout"/>.</summary>
    public async Task WaitUntil(Func<Task<bool>> ready, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{what} exited (code {process.ExitCode}) before it was ready:{Environment.NewLine}{LogTail()}");
            if (await ready()) return;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"{what} not ready after {timeout}:{Environment.NewLine}{LogTail()}");
            await Task.Delay(250);
        }
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
