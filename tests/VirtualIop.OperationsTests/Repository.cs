using System.Diagnostics;

namespace VirtualIop.OperationsTests;

/// <summary>The repository these tests run from, and the tools they call in it.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualIop.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No VirtualIop.sln above {AppContext.BaseDirectory}.");
    }

    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>Runs a command in the repository root, feeding it <paramref name="input"/>, and waits for it.</summary>
    public static async Task<Outcome> Run(string command, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{command}' is not installed or not on PATH ({e.Message}).", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null) await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            return new Outcome(process.ExitCode, await output, await error);
        }
    }
}
