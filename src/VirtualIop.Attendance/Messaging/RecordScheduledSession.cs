using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>Starts attendance for a newly scheduled session: one pending record per patient.</summary>
public sealed class RecordScheduledSession(AttendanceSessions sessions) : IConsumer<SessionScheduled>
{
    public Task Consume(ConsumeContext<SessionScheduled> context) => sessions.RecordScheduled(context.Message, context.CancellationToken);
}
