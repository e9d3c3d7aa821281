namespace VirtualIop.Web.StaffConsole;

// The shapes the console reads from the gateway, as the services send them (camelCase JSON, enums as wire names).

/// <summary>One of today's sessions of a clinician (Attendance, GET /api/attendance/clinicians/{id}/today).</summary>
public sealed record TodaySession(Guid SessionId, string? Kind, Guid? CohortId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone,
    bool Cancelled, IReadOnlyList<TodayPatient> Patients, IReadOnlyList<Guid> StaffInNow);

public sealed record TodayPatient(Guid PatientId, string Outcome, bool InNow, bool Notified);

/// <summary>A task of the work queue with its patient's risk level (Engagement, GET /api/engagement/work-queue).</summary>
public sealed record WorkQueueEntry(string RiskLevel, FollowUp Task);

public sealed record FollowUp(Guid Id, Guid PatientId, Guid? SessionId, string Kind, string Reason, string Status, string? Assignee,
    DateTimeOffset CreatedAt, DateTimeOffset DueBy, DateTimeOffset UpdatedAt, string? OutcomeNote);

/// <summary>A patient's risk and the signals that explain it (Engagement, GET /api/engagement/patients/{id}/risk).</summary>
public sealed record PatientRisk(Guid PatientId, string Level, IReadOnlyList<RiskSignal> Signals, DateTimeOffset EvaluatedAt);

public sealed record RiskSignal(string Rule, string Level, string Explanation, IReadOnlyList<Guid> SessionIds);

/// <summary>A cohort's patients by sessions (Attendance, GET /api/attendance/cohorts/{id}/heatmap).</summary>
public sealed record HeatmapData(Guid CohortId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<HeatmapSession> Sessions,
    IReadOnlyList<HeatmapPatient> Patients, IReadOnlyList<HeatmapCell> Cells);

public sealed record HeatmapSession(Guid SessionId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone);

public sealed record HeatmapPatient(Guid PatientId, Guid? ProgramId, string? Standing, int? AbsencesToBreach, DateTimeOffset? StandingEvaluatedAt);

public sealed record HeatmapCell(Guid PatientId, Guid SessionId, string Outcome, bool MadeUp);
