namespace VirtualIop.Contracts;

/// <summary>
/// Every event that crosses a service boundary. EventId doubles as the broker's MessageId,
/// so consumers deduplicate on it; ClinicId scopes it to one tenant.
/// Events carry ids and times only: never names, contact details or clinical detail.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }
    Guid ClinicId { get; }
}
