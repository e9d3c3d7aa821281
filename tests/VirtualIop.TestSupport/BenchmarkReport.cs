using Xunit.Abstractions;

namespace VirtualIop.TestSupport;

/// <summary>
/// The one-line form every benchmark reports a figure in, which <c>scripts/bench.sh</c> collects into its table:
/// <c>bench NAME: FIGURE UNIT; baseline FIGURE UNIT; ratio R</c> for a rate measured against a baseline in the same
/// run, <c>bench NAME: p50 MS ms; p95 MS ms; p99 MS ms</c> for a latency. Each line goes to the test's output and,
/// when <see cref="FileVariable"/> names a file, is appended to it; the fault cases report their counts the same way,
/// so <c>scripts/test.sh</c> can print every figure of a run after it.
/// </summary>
public static class BenchmarkReport
{
    /// <summary>A file the lines are appended to as well (scripts/bench.sh and scripts/test.sh set it).</summary>
    public const string FileVariable = "VIRTUALIOP_BENCH_REPORT";

    static readonly Lock FileLock = new();

    /// <summary>A rate against its baseline; the ratio is figure / baseline.</summary>
    public static string Rate(string name, double figure, double baseline, string unit) =>
        FormattableString.Invariant($"bench {name}: {figure:F0} {unit}; baseline {baseline:F0} {unit}; ratio {figure / baseline:F2}");

    /// <summary>A latency distribution by its 50th, 95th and 99th percentiles.</summary>
    public static string Latency(string name, IReadOnlyCollection<TimeSpan> samples) => $"bench {name}: {Percentiles(samples)}";

    /// <summary><c>p50 MS ms; p95 MS ms; p99 MS ms</c> (nearest rank).</summary>
    public static string Percentiles(IReadOnlyCollection<TimeSpan> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No latency samples.", nameof(samples));
        double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)].TotalMilliseconds;
        return FormattableString.Invariant($"p50 {Percentile(50):F0} ms; p95 {Percentile(95):F0} ms; p99 {Percentile(99):F0} ms");
    }

    /// <summary>Writes <paramref name="line"/> to the test's output and to the report file, if one is set.</summary>
    public static void Write(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        if (TestEnvironment.Get(FileVariable) is not { } file) return;
        lock (FileLock) File.AppendAllText(file, line + Environment.NewLine);
    }
}
