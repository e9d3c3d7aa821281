using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>Engagement reports a catch-up package addressed: the miss it covers no longer holds the patient's phase back.</summary>
public sealed class RecordContinuityPackageAddressed(PatientPhases phases) : IConsumer<ContinuityPackageAddressed>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "RecordContinuityPackageAddressed";

    public Task Consume(ConsumeContext<ContinuityPackageAddressed> context) =>
        phases.RecordPackageAddressed(context.Message, InboxKey, context.CancellationToken);
}
