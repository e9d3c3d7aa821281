namespace VirtualIop.Contracts.Engagement;

/// <summary>A patient consented to contact with a family member or supporter (42 CFR Part 2 §2.31); no names travel.</summary>
public sealed record ConsentGranted(
    Guid EventId,
    Guid ClinicId,
    Guid ConsentId,
    Guid PatientId,
    string Purpose,
    string RecipientKind,
    DateTimeOffset ExpiresAt,
    DateTimeOffset GrantedAt) : IIntegrationEvent;
