namespace VirtualIop.Web.Patient;

// The shapes the patient pages read from the services' APIs, with only the fields they show. Enum values stay the
// API's camelCase strings.

/// <param name="JoinUrl">The video link, when Scheduling has one (its Scheduling:CalendarFeeds:JoinUrlTemplate).</param>
/// <param name="Confirmed">Whether the patient said they will be there, when the API tells.</param>
public sealed record PatientSession(
    Guid Id, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, string Status, string? JoinUrl = null, bool? Confirmed = null);

public sealed record QuietHoursView(string Start, string End);

public sealed record PatientContact(
    Guid PatientId, string? Email, string? Phone, string? PushAddress, IReadOnlyList<string> Channels, string Language, string? TimeZone,
    QuietHoursView? QuietHours, IReadOnlyList<string> OptedOut);

public sealed record SaveContactRequest(
    string? Email, string? Phone, string? PushAddress, IReadOnlyList<string> Channels, string Language, string? TimeZone, QuietHoursView? QuietHours);

public sealed record NotifyAbsenceRequest(Guid SessionId, Guid PatientId, string ReasonCategory, string? Notes, string NotifiedBy);

public sealed record AbsenceNoticeView(Guid Id, Guid SessionId, string ReasonCategory, bool Excused, string Status);

public sealed record RuleView(string Rule, string Status, decimal Current, decimal Limit, int? AbsencesToBreach);

public sealed record StandingView(string Status, IReadOnlyList<RuleView> Rules);

public sealed record MakeupView(
    Guid Id, Guid MissedSessionId, IReadOnlyList<string> OfferedKinds, string Status, string? Kind, Guid? SessionId, int? WaitlistPosition,
    string? RecordingUrl, DateTimeOffset ExpiresAt);

public sealed record SlotView(Guid ClinicianId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record BookMakeupRequest(Guid ClinicianId, DateTimeOffset StartsAt);

public sealed record SeatOptionView(Guid SessionId, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, int Capacity, int SeatsTaken, int Waiting)
{
    public bool Full => SeatsTaken >= Capacity;
}

public sealed record TakeSeatRequest(Guid SessionId);

public sealed record HomeworkView(string Title, string Instructions, DateOnly DueOn);

public sealed record SessionContentView(IReadOnlyList<string> KeyPoints, HomeworkView? Homework, string? RecordingUrl, string? PeerSupportUrl);

public sealed record ContinuityItemView(string Kind, DateTimeOffset? OpenedAt, DateTimeOffset? DoneAt);

public sealed record ContinuityPackageView(
    Guid Id, Guid SessionId, string Status, DateTimeOffset CreatedAt, SessionContentView? Content, IReadOnlyList<ContinuityItemView> Items)
{
    public ContinuityItemView? Item(string kind) => Items.FirstOrDefault(i => i.Kind == kind);
}

public sealed record PatientContinuityView(bool CatchUpRequired, IReadOnlyList<ContinuityPackageView> Packages);

public sealed record ReportItemRequest(string State);

/// <summary>camera, microphone, connection: ok, failed or skipped.</summary>
public sealed record TechnicalHelpRequest(Guid? SessionId, string Camera, string Microphone, string Connection, string? Note);
