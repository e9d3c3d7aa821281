using System.Globalization;
using System.Text.Json;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>How weekly hours are stored and read, shared by clinicians' availability and patients' preferred hours.</summary>
static class HoursRows
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Weekly hours as stored in jsonb: local "HH:mm" times, "24:00" for the end of the day.</summary>
    public static string SerializeHours(IEnumerable<WorkingHours> hours) => JsonSerializer.Serialize(hours.Select(w =>
        new StoredHours(w.Day.ToString(), w.From.ToString("HH:mm", CultureInfo.InvariantCulture),
            w.To == TimeOnly.MaxValue ? "24:00" : w.To.ToString("HH:mm", CultureInfo.InvariantCulture))), Json);

    public static string SerializeTimeOff(IReadOnlyList<TimeOff> timeOff) => JsonSerializer.Serialize(timeOff, Json);

    static IReadOnlyList<WorkingHours> DeserializeHours(string json) => JsonSerializer.Deserialize<List<StoredHours>>(json, Json)!
        .Select(h => new WorkingHours(Enum.Parse<DayOfWeek>(h.Day), TimeOnly.Parse(h.From, CultureInfo.InvariantCulture),
            h.To == "24:00" ? TimeOnly.MaxValue : TimeOnly.Parse(h.To, CultureInfo.InvariantCulture))).ToList();

    sealed record StoredHours(string Day, string From, string To);

    /// <summary>Hours as read (jsonb columns as text); a query that selects no time_off reads as none.</summary>
    public sealed class Row
    {
        public string TimeZone { get; set; } = "";
        public string WeeklyHours { get; set; } = "";
        public string TimeOff { get; set; } = "[]";

        public Availability ToAvailability() =>
            new(TimeZone, DeserializeHours(WeeklyHours), JsonSerializer.Deserialize<List<TimeOff>>(TimeOff, Json)!);
    }
}
