namespace VirtualIop.Contracts.Engagement;

/// <summary>A catch-up package is addressed: nothing about it is outstanding any more.</summary>
/// <param name="How">completed (every item done), madeUp (a completed makeup), waived (by a clinician) or corrected (the miss was corrected away).</param>
public sealed record ContinuityPackageAddressed(
    Guid EventId,
    Guid ClinicId,
    Guid PackageId,
    Guid PatientId,
    Guid SessionId,
    string How,
    DateTimeOffset AddressedAt) : IIntegrationEvent;
