using MassTransit;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

/// <summary>Knows a program Scheduling created, so that its reminder plan can be set.</summary>
public sealed class LearnCreatedProgram(KnownPrograms programs) : IConsumer<ProgramCreated>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "LearnCreatedProgram";

    public Task Consume(ConsumeContext<ProgramCreated> context) => programs.RecordCreated(context.Message, InboxKey, context.CancellationToken);
}
