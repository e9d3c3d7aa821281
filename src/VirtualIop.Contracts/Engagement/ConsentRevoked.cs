namespace VirtualIop.Contracts.Engagement;

public sealed record ConsentRevoked(
    Guid EventId,
    Guid ClinicId,
    Guid ConsentId,
    Guid PatientId,
    DateTimeOffset RevokedAt) : IIntegrationEvent;
