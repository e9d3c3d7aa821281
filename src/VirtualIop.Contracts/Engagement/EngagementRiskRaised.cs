namespace VirtualIop.Contracts.Engagement;

/// <summary>A patient's engagement risk rose (RiskLevel: low, moderate, high); Signals name the patterns, never clinical detail.</summary>
public sealed record EngagementRiskRaised(
    Guid EventId,
    Guid ClinicId,
    Guid PatientId,
    string RiskLevel,
    IReadOnlyList<string> Signals,
    DateTimeOffset RaisedAt) : IIntegrationEvent;
