using MassTransit;
using VirtualIop.Attendance.Data;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Messaging;

/// <summary>Knows a program Scheduling created, so that its policy can be set.</summary>
public sealed class LearnCreatedProgram(KnownPrograms programs) : IConsumer<ProgramCreated>
{
    /// <summary>The inbox key events are stored under: unchanged, or redelivered events would run again.</summary>
    public const string InboxKey = "learn-created-program";

    public Task Consume(ConsumeContext<ProgramCreated> context) => programs.RecordCreated(context.Message, InboxKey, context.CancellationToken);
}
