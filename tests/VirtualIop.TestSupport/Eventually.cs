namespace VirtualIop.TestSupport;

/// <summary>Polls until a condition holds, for effects that cross the broker or a background worker.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="probe"/> until <paramref name="done"/> holds and returns what it saw last; throws
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> and the last value seen otherwise.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            var last = await probe();
            if (done(last)) return last;
            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {limit} waiting for {what}; last seen: {Describe(last)}");
            }
        }
    }

    static string Describe<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? $"[{string.Join(", ", items.Cast<object?>())}]"
        : value?.ToString() ?? "null";
}
