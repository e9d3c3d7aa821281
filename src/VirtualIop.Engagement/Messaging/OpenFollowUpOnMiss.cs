using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class OpenFollowUpOnMiss(FollowUpTasks tasks) : IConsumer<SessionMissed>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "OpenFollowUpOnMiss";

    public Task Consume(ConsumeContext<SessionMissed> context)
    {
        var missed = context.Message;
        // An event without its ids cannot be acted on; failing sends it through the retries to the _error queue.
        if (missed.ClinicId == Guid.Empty || missed.PatientId == Guid.Empty || missed.SessionId == Guid.Empty)
            throw new InvalidOperationException($"SessionMissed {missed.EventId} lacks a clinic, patient or session id.");
        return tasks.OpenForMiss(missed, InboxKey, context.CancellationToken);
    }
}
