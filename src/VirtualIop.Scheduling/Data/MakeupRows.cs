using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>How a makeup row is read, shared by the makeup steps, the waitlists and the session cancellations.</summary>
static class MakeupRows
{
    /// <summary>A makeup as the API shows it, with its recording link and waitlist place.</summary>
    public sealed class Row
    {
        public Guid Id { get; set; }
        public Guid MissedSessionId { get; set; }
        public Guid PatientId { get; set; }
        public Guid ProgramId { get; set; }
        public string[] OfferedKinds { get; set; } = [];
        public string Status { get; set; } = "";
        public string? Kind { get; set; }
        public Guid? SessionId { get; set; }
        public string? RecordingUrl { get; set; }
        public int MinutesWatched { get; set; }
        public DateTimeOffset OfferedAt { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
        public DateTimeOffset? BookedAt { get; set; }
        public DateTimeOffset? CompletedAt { get; set; }
        public DateTimeOffset? ExpiredAt { get; set; }
        public DateTimeOffset? WithdrawnAt { get; set; }
        public int? WaitlistPosition { get; set; }

        public Makeup ToMakeup() => new(Id, MissedSessionId, PatientId, ProgramId, OfferedKinds.Select(MakeupKinds.Parse).ToList(), Status,
            Kind is null ? null : MakeupKinds.Parse(Kind), SessionId, RecordingUrl, MinutesWatched, OfferedAt, ExpiresAt, BookedAt, CompletedAt,
            ExpiredAt, WithdrawnAt, WaitlistPosition);
    }

    /// <summary>A makeup a set-based step just changed (the columns its RETURNING names), enough for the event it announces.</summary>
    public sealed class Changed
    {
        public Guid Id { get; set; }
        public Guid MissedSessionId { get; set; }
        public Guid PatientId { get; set; }
        public string Status { get; set; } = "";
        public string? Kind { get; set; }
        public string[] OfferedKinds { get; set; } = [];
        public DateTimeOffset ExpiresAt { get; set; }
        public DateTimeOffset? ExpiredAt { get; set; }
        public DateTimeOffset? WithdrawnAt { get; set; }
        public long Version { get; set; }
    }
}

/// <summary>An open makeup, locked, with what its steps need to know about the missed session.</summary>
public sealed class OpenMakeup
{
    public Guid Id { get; set; }
    public Guid MissedSessionId { get; set; }
    public Guid PatientId { get; set; }
    public Guid ProgramId { get; set; }
    public string[] OfferedKinds { get; set; } = [];
    public string Status { get; set; } = "";
    public DateTimeOffset OfferedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string MissedKind { get; set; } = "";
    public Guid? MissedCohortId { get; set; }
    public Guid? MissedTopicId { get; set; }
    public string MissedTimeZone { get; set; } = "";
    public Guid? MissedClinicianId { get; set; }
}
