using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A clinician adjusted a patient's treatment plan: keep the planned frequency or modality beside the schedule.</summary>
public sealed class RecordPlanAdjustment(PatientPlans plans) : IConsumer<PlanAdjusted>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "RecordPlanAdjustment";

    public Task Consume(ConsumeContext<PlanAdjusted> context) => plans.Record(context.Message, InboxKey, context.CancellationToken);
}
