namespace VirtualIop.Contracts.Engagement;

/// <summary>A patient finished one item of a catch-up package for the first time.</summary>
/// <param name="Item">Which item: summary, homework, recording or peerSupport.</param>
public sealed record ContinuityItemCompleted(
    Guid EventId,
    Guid ClinicId,
    Guid PackageId,
    Guid PatientId,
    Guid SessionId,
    string Item,
    DateTimeOffset CompletedAt) : IIntegrationEvent;
