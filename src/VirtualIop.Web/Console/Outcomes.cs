namespace VirtualIop.Web.StaffConsole;

/// <summary>What a heatmap cell shows: the outcome, with a made-up miss shown as made up.</summary>
public enum CellOutcome
{
    Present,
    Late,
    Partial,
    Excused,
    Unexcused,
    NoShow,
    MadeUp,
    Pending
}

/// <summary>
/// How each outcome is drawn: a fill colour AND a letter (and, for the misses, a hatch), so a cell reads without colour;
/// the hook name the browser tests look for (<c>data-outcome</c>) and the resource key of its label.
/// </summary>
public sealed record OutcomeStyle(CellOutcome Outcome, string Hook, string Letter, string Fill, string Ink, string? Pattern, string LabelKey);

public static class Outcomes
{
    public static readonly IReadOnlyList<OutcomeStyle> Styles =
    [
        new(CellOutcome.Present, "present", "P", "#1a7f37", "#ffffff", null, "OutcomePresent"),
        new(CellOutcome.Late, "late", "L", "#9bd27a", "#0b2e13", null, "OutcomeLate"),
        new(CellOutcome.Partial, "partial", "½", "#f2d45c", "#3d3000", null, "OutcomePartial"),
        new(CellOutcome.Excused, "excused", "E", "#6ea8fe", "#0a2350", "dots", "OutcomeExcused"),
        new(CellOutcome.Unexcused, "unexcused", "U", "#f0883e", "#3b1a00", "hatch", "OutcomeUnexcused"),
        new(CellOutcome.NoShow, "no-show", "N", "#b42318", "#ffffff", "cross", "OutcomeNoShow"),
        new(CellOutcome.MadeUp, "made-up", "M", "#8250df", "#ffffff", null, "OutcomeMadeUp"),
        new(CellOutcome.Pending, "pending", "·", "#eaeef2", "#24292f", null, "OutcomePending"),
    ];

    public static OutcomeStyle Style(CellOutcome outcome) => Styles[(int)outcome];

    /// <summary>
    /// The cell's outcome from Attendance's wire name ("present", "excusedAbsence", "noShow", ...): a miss that a completed
    /// makeup replaced shows as made up; an unknown name shows as pending rather than failing the page.
    /// </summary>
    public static CellOutcome Of(string outcome, bool madeUp) => outcome switch
    {
        "present" => CellOutcome.Present,
        "late" => CellOutcome.Late,
        "partial" => CellOutcome.Partial,
        "excusedAbsence" or "unexcusedAbsence" or "noShow" when madeUp => CellOutcome.MadeUp,
        "excusedAbsence" => CellOutcome.Excused,
        "unexcusedAbsence" => CellOutcome.Unexcused,
        "noShow" => CellOutcome.NoShow,
        _ => CellOutcome.Pending
    };

    /// <summary>Attended (in part or by a makeup) counts toward the weekly rate; pending sessions are not decided yet.</summary>
    public static bool Attended(this CellOutcome outcome) =>
        outcome is CellOutcome.Present or CellOutcome.Late or CellOutcome.Partial or CellOutcome.MadeUp;
}
