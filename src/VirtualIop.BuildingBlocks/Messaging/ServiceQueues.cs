using System.Collections.Concurrent;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>The service's receive queues, as MassTransit configures them; the redrive worker looks at each one's _error queue.</summary>
public sealed class ServiceQueues
{
    readonly ConcurrentDictionary<string, bool> names = new(StringComparer.Ordinal);

    public void Add(string queue) => names.TryAdd(queue, true);

    public IReadOnlyCollection<string> Names => names.Keys.Order(StringComparer.Ordinal).ToList();
}
