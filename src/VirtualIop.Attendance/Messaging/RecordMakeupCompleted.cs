using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>Keeps a completed makeup, so the policy can take the missed session's weight away.</summary>
public sealed class RecordMakeupCompleted(ProgramPolicies policies) : IConsumer<MakeupCompleted>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "record-makeup-completed";

    public Task Consume(ConsumeContext<MakeupCompleted> context) => policies.RecordMakeupCompleted(context.Message, InboxKey, context.CancellationToken);
}
