using Dapper;
using MassTransit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;

namespace VirtualIop.BuildingBlocks.IntegrationTests.Benchmarks;

/// <summary>The benchmark's consumer, shaped like every service's: the inbox row and one insert, in one transaction.</summary>
public sealed class RecordMissEffect(Inbox inbox, PipelineProgress progress, TimeProvider clock) : IConsumer<SessionMissed>
{
    public const string InboxKey = "pipeline-benchmark";

    public async Task Consume(ConsumeContext<SessionMissed> context)
    {
        using var _ = progress.Begin();
        var missed = context.Message;
        var first = await inbox.ProcessOnce(missed, InboxKey, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "insert into pipeline_effect (event_id, clinic_id, patient_id, recorded_at) values (@EventId, @ClinicId, @PatientId, @Now)",
            new { missed.EventId, missed.ClinicId, missed.PatientId, Now = clock.GetUtcNow() }, transaction, cancellationToken: context.CancellationToken)),
            context.CancellationToken);
        if (first) progress.Done(context.ReceiveContext.Body);
    }
}

/// <summary>Counts the effects committed, remembers the size of a body as it came off the broker, and times the last one awaited.</summary>
public sealed class PipelineProgress
{
    readonly Lock gate = new();
    int done;
    int target = int.MaxValue;
    TaskCompletionSource<long> reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    int inFlight;
    int mostInFlight;

    /// <summary>The size in bytes of a message body as the broker delivered it (0 until one arrives).</summary>
    public int BodySize { get; private set; }

    /// <summary>The most deliveries the consumer handled at once: the bus's effective concurrency.</summary>
    public int MostInFlight => Volatile.Read(ref mostInFlight);

    /// <summary>Counts a delivery in flight until the result is disposed.</summary>
    public IDisposable Begin()
    {
        var now = Interlocked.Increment(ref inFlight);
        for (var seen = Volatile.Read(ref mostInFlight); now > seen; seen = Volatile.Read(ref mostInFlight))
            if (Interlocked.CompareExchange(ref mostInFlight, now, seen) == seen) break;
        return new InFlight(this);
    }

    sealed class InFlight(PipelineProgress progress) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref progress.inFlight);
    }

    public void Done(MessageBody body)
    {
        if (BodySize == 0) BodySize = body.GetBytes().Length;
        lock (gate)
        {
            if (++done >= target) reached.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Completes with the Stopwatch timestamp at which <paramref name="count"/> more effects than so far had committed.</summary>
    public Task<long> WhenMore(int count)
    {
        lock (gate)
        {
            target = done + count;
            reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (done >= target) reached.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
            return reached.Task;
        }
    }
}
