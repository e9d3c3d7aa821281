namespace VirtualIop.Contracts;

/// <summary>
/// An event about one aggregate (a session, a makeup) that carries the aggregate's version after the change it reports.
/// The publisher increments the version on every change, so a consumer keeps the newest version it has seen and ignores
/// older reports: any delivery order then converges to the state in-order delivery gives. Version is null only in
/// messages from publishers older than the field; treat it as older than any versioned report.
/// </summary>
public interface IVersionedEvent : IIntegrationEvent
{
    long? Version { get; }
}
