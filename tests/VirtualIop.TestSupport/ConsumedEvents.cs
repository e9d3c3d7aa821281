using System.Collections.Concurrent;
using MassTransit;

namespace VirtualIop.TestSupport;

/// <summary>Counts the messages the service's consumers have finished with, by message id, so a test knows a redelivery has been handled.</summary>
public sealed class ConsumedEvents : IConsumeObserver
{
    readonly ConcurrentDictionary<Guid, int> consumed = new();
    readonly ConcurrentBag<string> skipped = [];

    /// <summary>
    /// Leaves out of the counts what the consumer on queue <paramref name="queue"/> finishes: one that keeps a read
    /// model beside the consumers a test waits for, so that "consumed once" still means the consumer the test is about.
    /// </summary>
    public ConsumedEvents Skipping(string queue)
    {
        skipped.Add(queue);
        return this;
    }

    public int Count(Guid messageId) => consumed.GetValueOrDefault(messageId);

    public Task WaitFor(Guid messageId, int times) =>
        Eventually.Until(() => Task.FromResult(Count(messageId)), n => n >= times, $"message {messageId} consumed {times} time(s)");

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.ReceiveContext.InputAddress?.AbsolutePath.Split('/')[^1] is { } queue && skipped.Contains(queue)) return Task.CompletedTask;
        if (context.MessageId is { } id) consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
