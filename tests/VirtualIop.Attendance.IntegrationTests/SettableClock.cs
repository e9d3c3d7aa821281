namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// The service's clock: real time until a test sets an instant, which then stays "now" until set again, so joins and
/// leaves land at exact minutes. Timers stay real, so the outbox relay and the background workers keep running.
/// </summary>
public sealed class SettableClock : TimeProvider
{
    DateTimeOffset? now;

    public override DateTimeOffset GetUtcNow() => now ?? System.GetUtcNow();

    public void Set(DateTimeOffset instant) => now = instant;
}
