using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;

namespace VirtualIop.EndToEndTests;

/// <summary>
/// The docs' examples, run as written against the whole stack: every ```bash block of a file, in order, as one script
/// in one <c>bash -euo pipefail</c> process, pointed at this stack's gateway through <c>GATEWAY</c>. curl runs with a
/// configuration that fails on any 4xx or 5xx, so an example whose call stops working fails here (docs/development.md,
/// "Tested docs"). A block fenced ```bash no-run is skipped.
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class DocsExamplesTests(VirtualIopStack stack) : IDisposable
{
    static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    const string BlockMarker = "::docs-block ";

    readonly string curlHome = Directory.CreateTempSubdirectory("virtualiop-docs-curl-").FullName;

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/api.md")]
    public async Task Every_bash_example_runs_against_the_stack(string file)
    {
        var blocks = BashBlocks(File.ReadAllLines(Path.Combine(RepositoryRoot(), file)));
        Assert.NotEmpty(blocks);

        var (exitCode, output) = await Run(Script(blocks));

        if (exitCode != 0)
        {
            var failing = LastBlockStarted(output) is { } index ? blocks[index] : null;
            Assert.Fail($"""
                {file}: the examples failed with exit code {exitCode}{(failing is null ? "" : $" in the block at line {failing.Line}")}.
                ----- the block
                {failing?.Text ?? "(none started)"}
                ----- the output
                {output}
                """);
        }
    }

    /// <summary>A fenced block of the file: where its first line is (1-based) and its text.</summary>
    sealed record Block(int Line, string Text);

    static IReadOnlyList<Block> BashBlocks(IReadOnlyList<string> lines)
    {
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Count; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success) continue;
            var end = i + 1;
            while (end < lines.Count && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal)) end++;
            if (fence.Groups["info"].Value.Trim() == "bash")
            {
                blocks.Add(new Block(i + 2, string.Join('\n', lines.Skip(i + 1).Take(end - i - 1))));
            }
            i = end;
        }
        return blocks;
    }

    static string Script(IReadOnlyList<Block> blocks)
    {
        var script = new StringBuilder("exec 2>&1\ntrap 'echo \"::failed: $BASH_COMMAND\"' ERR\n");
        for (var i = 0; i < blocks.Count; i++)
        {
            script.Append("echo '").Append(BlockMarker).Append(i).Append("'\n").Append(blocks[i].Text).Append('\n');
        }
        return script.ToString();
    }

    static int? LastBlockStarted(string output) =>
        output.Split('\n').LastOrDefault(line => line.StartsWith(BlockMarker, StringComparison.Ordinal)) is { } marker
            ? int.Parse(marker[BlockMarker.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    async Task<(int ExitCode, string Output)> Run(string script)
    {
        // Any HTTP error fails curl (the docs' calls stay plain `curl -s` for readers); --fail-with-body keeps the problem.
        await File.WriteAllTextAsync(Path.Combine(curlHome, ".curlrc"), "fail-with-body\nshow-error\n");
        var scriptFile = Path.Combine(curlHome, "examples.sh");
        await File.WriteAllTextAsync(scriptFile, script);

        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", scriptFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot()
        };
        start.Environment["GATEWAY"] = stack.App.GetEndpoint("gateway", "http").ToString().TrimEnd('/');
        start.Environment["CLIENT_ID"] = PartnerClient.DemoClinic;
        start.Environment["CLIENT_SECRET"] = PartnerClient.DemoClinic + "-secret";
        start.Environment["CURL_HOME"] = curlHome;
        start.Environment["START_IN_MINUTES"] = "1";
        start.Environment["DURATION_MINUTES"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = Pump(process.StandardOutput, output);
        var stderr = Pump(process.StandardError, output);
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            output.AppendLine($"(stopped after {ScriptTimeout.TotalMinutes} minutes)");
        }
        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, output.ToString());
    }

    static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output) output.AppendLine(line);
        }
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualIop.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No VirtualIop.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^```(?<info>.*)$")]
    private static partial Regex Fence();

    public void Dispose() => Directory.Delete(curlHome, recursive: true);
}
