namespace VirtualIop.Attendance.Domain;

/// <summary>When a notice of absence counts as excused: given early enough, or for a reason the program always excuses.</summary>
public sealed record NoticePolicy(int NoticeHours, IReadOnlySet<AbsenceReason> ExcusedReasons)
{
    public static readonly NoticePolicy Default = new(24, new HashSet<AbsenceReason> { AbsenceReason.Illness, AbsenceReason.Emergency });
}

/// <summary>What an advance notice of absence decides. Pure: the caller supplies the time.</summary>
public static class NoticeRules
{
    /// <summary>A notice can be given until the session ends; after that the sweep or staff decide.</summary>
    public static bool CanNotify(DateTimeOffset sessionEndsAt, DateTimeOffset now) => now < sessionEndsAt;

    /// <summary>A notice can be withdrawn until the session starts.</summary>
    public static bool CanWithdraw(DateTimeOffset sessionStartsAt, DateTimeOffset now) => now < sessionStartsAt;

    /// <summary>Excused when the reason is one the program always excuses, or when at least the notice hours remain before the start.</summary>
    public static bool IsExcused(NoticePolicy policy, AbsenceReason reason, DateTimeOffset sessionStartsAt, DateTimeOffset notifiedAt) =>
        policy.ExcusedReasons.Contains(reason) || sessionStartsAt - notifiedAt >= TimeSpan.FromHours(policy.NoticeHours);

    /// <summary>
    /// Whether a notice stays excused once the patient gives its reason later (by text, after declining with N): judged
    /// again with the reason as if given with the notice, and never less excused than it was, so saying why never counts
    /// against the patient.
    /// </summary>
    public static bool IsExcusedWithReasonGiven(bool wasExcused, NoticePolicy policy, AbsenceReason reason, DateTimeOffset sessionStartsAt,
        DateTimeOffset notifiedAt) =>
        wasExcused || IsExcused(policy, reason, sessionStartsAt, notifiedAt);

    /// <summary>
    /// The record once a notice is given: an excused or unexcused absence with the notice's reason and notes. A patient
    /// who has already joined stays as they are: presence wins over a notice.
    /// </summary>
    public static AttendanceRecord Apply(AttendanceRecord record, bool excused, AbsenceReason reason, string? notes, DateTimeOffset now, string recordedBy)
    {
        if (record.Outcome.IsPresence()) return record;
        var outcome = excused ? AttendanceOutcome.ExcusedAbsence : AttendanceOutcome.UnexcusedAbsence;
        return record with
        {
            Outcome = outcome,
            DecidedAt = now,
            ReasonCategory = reason,
            Notes = notes,
            RecordedBy = recordedBy,
            RecordedAt = now
        };
    }

    /// <summary>Withdrawing a notice reopens an absence it decided: the patient is expected again.</summary>
    public static AttendanceRecord Withdraw(AttendanceRecord record, DateTimeOffset now, string recordedBy) =>
        record.Outcome is AttendanceOutcome.ExcusedAbsence or AttendanceOutcome.UnexcusedAbsence
            ? record with
            {
                Outcome = AttendanceOutcome.Pending, DecidedAt = null, ReasonCategory = null, Notes = null, RecordedBy = recordedBy, RecordedAt = now
            }
            : record;
}
