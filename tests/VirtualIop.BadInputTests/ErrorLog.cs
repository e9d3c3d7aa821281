using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VirtualIop.BadInputTests;

/// <summary>
/// Collects the exceptions a host logs at error level (the exception handler logs each unhandled one), so a 5xx of the corpus
/// can be reported with its cause: the exception's type and the first line of its message.
/// </summary>
public sealed class ErrorLog(string service) : ILoggerProvider
{
    public static ConcurrentDictionary<string, int> Causes { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(service);

    public void Dispose()
    {
    }

    sealed class Logger(string service) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error || exception is null) return;
            var inner = exception.GetBaseException();
            var at = exception.ToString().Split('\n').Select(line => line.Trim())
                .FirstOrDefault(line => line.StartsWith("at VirtualIop.", StringComparison.Ordinal)) ?? "";
            var cause = $"{service}: {inner.GetType().Name}: {inner.Message.Split('\n')[0].Trim()} {at}";
            Causes.AddOrUpdate(cause, 1, (_, n) => n + 1);
        }
    }
}
