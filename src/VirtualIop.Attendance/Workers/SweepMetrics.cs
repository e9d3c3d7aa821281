using System.Diagnostics.Metrics;

namespace VirtualIop.Attendance.Workers;

/// <summary>
/// The meter "VirtualIop.Attendance": no-shows the sweep decided and how long each sweep pass took. A pass that grows
/// towards Attendance:SweepInterval, or no-shows that stop while sessions go on, are worth an alert.
/// </summary>
public sealed class SweepMetrics
{
    public const string MeterName = "VirtualIop.Attendance";

    readonly Counter<long> noShows;
    readonly Histogram<double> duration;

    public SweepMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        noShows = meter.CreateCounter<long>("virtualiop.attendance.no_shows", "{record}",
            "Attendance records the no-show sweep decided as noShow.");
        duration = meter.CreateHistogram<double>("virtualiop.attendance.sweep.duration", "s",
            "Duration of one no-show sweep pass.");
    }

    public void RecordPass(TimeSpan elapsed, int decidedNoShows)
    {
        duration.Record(elapsed.TotalSeconds);
        if (decidedNoShows > 0) noShows.Add(decidedNoShows);
    }
}
