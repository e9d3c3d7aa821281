namespace VirtualIop.Engagement.Domain;

/// <summary>
/// Where a patient's missed content stands: waiting for the facilitator to record it, assigned and being worked
/// through, or addressed (completed, made up or waived). Anything not addressed keeps the patient's catch-up flag up.
/// </summary>
public enum ContinuityPackageStatus
{
    AwaitingContent,
    Assigned,
    Addressed
}

public static class ContinuityPackageState
{
    public static ContinuityPackageStatus Of(DateTimeOffset? assignedAt, DateTimeOffset? addressedAt) =>
        addressedAt is not null ? ContinuityPackageStatus.Addressed
        : assignedAt is not null ? ContinuityPackageStatus.Assigned
        : ContinuityPackageStatus.AwaitingContent;
}
