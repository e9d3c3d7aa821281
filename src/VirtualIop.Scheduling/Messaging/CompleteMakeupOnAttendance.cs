using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Messaging;

/// <summary>A patient attended their makeup session (one-on-one or a seat elsewhere): the makeup is complete.</summary>
public sealed class CompleteMakeupOnAttendance(Makeups makeups) : IConsumer<SessionAttended>
{
    /// <summary>The inbox key this consumer's deliveries are stored under; stored rows depend on it, so it never changes.</summary>
    public const string InboxKey = "CompleteMakeupOnAttendance";

    public Task Consume(ConsumeContext<SessionAttended> context) =>
        makeups.CompleteByAttendance(context.Message, context.Message.SessionId, context.Message.PatientId, context.Message.CheckedInAt,
            InboxKey, context.CancellationToken);
}
