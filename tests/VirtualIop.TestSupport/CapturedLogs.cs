using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VirtualIop.TestSupport;

/// <summary>
/// A logger provider that keeps every line a service logs as a log shipper would receive it: the category first, then the
/// level, the formatted message, its structured values and the exception, so a test can check what the logs say (and
/// what they must never say, in the message or in a value).
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{category}: {logLevel} {formatter(state, exception)} {values}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
