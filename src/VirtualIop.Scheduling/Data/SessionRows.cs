using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>How a session row is read, shared by the session steps, the schedule reads, the calendar feeds and the series.</summary>
static class SessionRows
{
    /// <summary>A session; each query fills the columns it selects, the others keep their defaults.</summary>
    public sealed class Row
    {
        public Guid Id { get; set; }
        public string Kind { get; set; } = "";
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public string Status { get; set; } = "";
        public int Sequence { get; set; }
        public Guid[] PatientIds { get; set; } = [];
        public Guid? TopicId { get; set; }
        public Guid? ClinicianId { get; set; }
        public Guid? SeriesId { get; set; }
        public int? OccurrenceIndex { get; set; }
        public long Version { get; set; }

        public Session ToSession() => new(Id, SessionKinds.Parse(Kind), StartsAt, EndsAt, TimeZone, PatientIds, CreatedAt, Status, Sequence);
    }

    /// <summary>When a session takes place, for the events that tell a patient they joined it or that it was cancelled.</summary>
    public sealed class Times
    {
        public Guid SessionId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public long Version { get; set; }
    }
}
