using MassTransit;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

/// <summary>Knows a program Scheduling created, so that its pattern settings can be set.</summary>
public sealed class LearnCreatedProgram(KnownPrograms programs) : IConsumer<ProgramCreated>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "LearnCreatedProgram";

    public Task Consume(ConsumeContext<ProgramCreated> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(ProgramCreated), m.EventId, m.ClinicId, m.ProgramId);
        return programs.RecordCreated(m, InboxKey, context.CancellationToken);
    }
}
