using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace VirtualIop.TestSupport;

/// <summary>
/// The measurements one service's meter reports, read with a MeterListener limited to that service's own
/// IMeterFactory: other services in the test process record on meters of the same name.
/// </summary>
public sealed class MeterReadings : IDisposable
{
    readonly MeterListener listener = new();
    readonly ConcurrentQueue<Reading> readings = new();

    public MeterReadings(IMeterFactory meters, string meterName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, meters)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => readings.Enqueue(new(instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => readings.Enqueue(new(instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => readings.Enqueue(new(instrument.Name, value, Tags(tags))));
        listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded with at least these attribute values.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] attributes) =>
        readings.Where(r => r.Instrument == instrument && attributes.All(a => r.Attributes.TryGetValue(a.Key, out var v) && v == a.Value))
            .Sum(r => r.Value);

    /// <summary>What an observable gauge reports now.</summary>
    public double Observe(string instrument)
    {
        var before = readings.Count;
        listener.RecordObservableInstruments();
        return readings.Skip(before).Last(r => r.Instrument == instrument).Value;
    }

    public void Dispose() => listener.Dispose();

    static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>();
        foreach (var tag in tags) result[tag.Key] = tag.Value?.ToString();
        return result;
    }

    sealed record Reading(string Instrument, double Value, Dictionary<string, string?> Attributes);
}
