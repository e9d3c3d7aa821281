using System.Diagnostics;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

/// <summary>
/// Runs the operator's re-drive command exactly as docs/operations.md gives it,
/// <c>dotnet run --project src/VirtualIop.Redrive -- ...</c>, against the build this test run made (so without building).
/// </summary>
public static class RedriveCommand
{
    public static async Task<string> Run(params string[] arguments)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = output.Parent!.Name;
        var repository = output;
        while (!File.Exists(Path.Combine(repository.FullName, "VirtualIop.sln"))) repository = repository.Parent!;

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository.FullName
        };
        foreach (var argument in new[] { "run", "--project", "src/VirtualIop.Redrive", "-c", configuration, "--no-build", "--" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"redrive {string.Join(' ', arguments.Take(1))} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
