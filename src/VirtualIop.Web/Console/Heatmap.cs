using System.Globalization;
using System.Net;
using System.Text;

namespace VirtualIop.Web.StaffConsole;

/// <summary>A week of one patient's trend: sessions attended (in part, or made up) of those decided, in the session's local ISO week.</summary>
public sealed record WeekPoint(string Week, DateOnly WeekStartsOn, int Attended, int Decided)
{
    /// <summary>Percentage attended of the decided sessions, rounded down; null when none was decided yet.</summary>
    public int? Rate => Decided == 0 ? null : Attended * 100 / Decided;
}

/// <summary>
/// Draws a cohort's attendance heatmap and a patient's weekly trend as SVG markup, on the server. Pure: the data, the
/// words (a lookup by resource key) and the culture in, markup out. Every cell carries its outcome three ways (a fill,
/// a letter, and for misses a hatch), a <c>&lt;title&gt;</c> and an <c>aria-label</c>, and takes the keyboard focus.
/// </summary>
public static class Heatmap
{
    public const int LabelWidth = 150;
    public const int CellSize = 30;
    public const int Gap = 2;
    public const int HeaderHeight = 64;
    public const int StandingWidth = 210;

    static readonly string[] StandingOrder = ["inBreach", "atRisk", "goodStanding"];

    /// <summary>Who needs attention first: in breach, at risk, in good standing, not yet evaluated; then by id, so the order is stable.</summary>
    public static IReadOnlyList<HeatmapPatient> OrderPatients(IEnumerable<HeatmapPatient> patients) =>
        patients.OrderBy(p => p.Standing is { } s && Array.IndexOf(StandingOrder, s) is var i and >= 0 ? i : StandingOrder.Length)
            .ThenBy(p => p.PatientId).ToList();

    /// <summary>The patient's cell outcome of each session they were expected at, by session id.</summary>
    public static IReadOnlyDictionary<(Guid PatientId, Guid SessionId), CellOutcome> Cells(HeatmapData data) =>
        data.Cells.ToDictionary(c => (c.PatientId, c.SessionId), c => Outcomes.Of(c.Outcome, c.MadeUp));

    /// <summary>
    /// A short, stable label for a patient: the services hold ids, never names. The id's last eight hex digits, since a
    /// version-7 id starts with its creation time and patients enrolled together would share their first ones.
    /// </summary>
    public static string PatientLabel(Guid patientId, Func<string, string> text) => $"{text("Patient")} {patientId.ToString("N")[^8..]}";

    /// <summary>The standing beside a patient, with a symbol so it reads without colour (✓, !, ✕, –).</summary>
    public static string StandingText(HeatmapPatient patient, Func<string, string> text) => patient.Standing switch
    {
        "goodStanding" => $"✓ {text("StandingGoodStanding")}{Remaining(patient, text)}",
        "atRisk" => $"! {text("StandingAtRisk")}{Remaining(patient, text)}",
        "inBreach" => $"✕ {text("StandingInBreach")}",
        _ => $"– {text("StandingUnknown")}"
    };

    static string Remaining(HeatmapPatient patient, Func<string, string> text) =>
        patient.AbsencesToBreach is { } n ? $" ({string.Format(CultureInfo.CurrentCulture, text("AbsencesToBreach"), n)})" : "";

    public static DateTimeOffset LocalStart(HeatmapSession session) => Local(session.StartsAt, session.TimeZone);

    public static string Svg(HeatmapData data, Func<string, string> text, CultureInfo culture)
    {
        var patients = OrderPatients(data.Patients);
        var cells = Cells(data);
        var width = LabelWidth + data.Sessions.Count * (CellSize + Gap) + StandingWidth;
        var height = HeaderHeight + patients.Count * (CellSize + Gap) + Gap;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="group" aria-label="{Encode(text("HeatmapLabel"))}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">""");
        svg.Append("<defs>")
            .Append("""<pattern id="p-dots" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1.2" fill="#000" fill-opacity="0.45"/></pattern>""")
            .Append("""<pattern id="p-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-opacity="0.4" stroke-width="2"/></pattern>""")
            .Append("""<pattern id="p-cross" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-opacity="0.55" stroke-width="1.2"/></pattern>""")
            .Append("</defs>");

        for (var column = 0; column < data.Sessions.Count; column++)
        {
            var session = data.Sessions[column];
            var local = LocalStart(session);
            var x = LabelWidth + column * (CellSize + Gap) + CellSize / 2;
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text class="session-label" x="{x}" y="{HeaderHeight - 6}" transform="rotate(-55 {x} {HeaderHeight - 6})" font-size="11">{Encode(local.ToString("d MMM HH:mm", culture))}</text>""");
        }
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text class="standing-heading" x="{width - StandingWidth + 8}" y="{HeaderHeight - 8}" font-size="12" font-weight="bold">{Encode(text("Standing"))}</text>""");

        for (var row = 0; row < patients.Count; row++)
        {
            var patient = patients[row];
            var y = HeaderHeight + row * (CellSize + Gap);
            var label = PatientLabel(patient.PatientId, text);
            svg.Append(CultureInfo.InvariantCulture,
                $"""<a href="/console/patients/{patient.PatientId}" data-testid="heatmap-patient-{patient.PatientId}"><text x="4" y="{y + CellSize / 2 + 4}" font-size="12">{Encode(label)}</text></a>""");
            for (var column = 0; column < data.Sessions.Count; column++)
            {
                var session = data.Sessions[column];
                var x = LabelWidth + column * (CellSize + Gap);
                if (!cells.TryGetValue((patient.PatientId, session.SessionId), out var outcome))
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"""<rect class="not-expected" x="{x}" y="{y}" width="{CellSize}" height="{CellSize}" fill="none" stroke="#d0d7de" aria-hidden="true"/>""");
                    continue;
                }
                var style = Outcomes.Style(outcome);
                var description = $"{label}, {LocalStart(session).ToString("f", culture)}: {text(style.LabelKey)}";
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<g class="cell" tabindex="0" role="img" aria-label="{Encode(description)}" data-testid="cell-{patient.PatientId}-{session.SessionId}" data-outcome="{style.Hook}">""")
                    .Append(CultureInfo.InvariantCulture, $"<title>{Encode(description)}</title>")
                    .Append(CultureInfo.InvariantCulture, $"""<rect class="cell-fill" x="{x}" y="{y}" width="{CellSize}" height="{CellSize}" rx="3" fill="{style.Fill}"/>""");
                if (style.Pattern is { } pattern)
                    svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{CellSize}" height="{CellSize}" rx="3" fill="url(#p-{pattern})"/>""");
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<text x="{x + CellSize / 2}" y="{y + CellSize / 2 + 5}" text-anchor="middle" font-size="14" font-weight="bold" fill="{style.Ink}" aria-hidden="true">{Encode(style.Letter)}</text>""")
                    .Append("</g>");
            }
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text class="standing" data-testid="standing-{patient.PatientId}" data-standing="{Encode(patient.Standing ?? "unknown")}" x="{width - StandingWidth + 8}" y="{y + CellSize / 2 + 4}" font-size="12">{Encode(StandingText(patient, text))}</text>""");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The patient's attendance per ISO week of the sessions' local time, oldest first; weeks without a session are left out.</summary>
    public static IReadOnlyList<WeekPoint> WeeklyTrend(HeatmapData data, Guid patientId)
    {
        var sessions = data.Sessions.ToDictionary(s => s.SessionId);
        return data.Cells.Where(c => c.PatientId == patientId && sessions.ContainsKey(c.SessionId))
            .Select(c => (Local: LocalStart(sessions[c.SessionId]).DateTime, Outcome: Outcomes.Of(c.Outcome, c.MadeUp)))
            .GroupBy(c => (Year: ISOWeek.GetYear(c.Local), Week: ISOWeek.GetWeekOfYear(c.Local)))
            .OrderBy(g => g.Key)
            .Select(g => new WeekPoint($"{g.Key.Year}-W{g.Key.Week:00}", DateOnly.FromDateTime(ISOWeek.ToDateTime(g.Key.Year, g.Key.Week, DayOfWeek.Monday)),
                g.Count(c => c.Outcome.Attended()), g.Count(c => c.Outcome != CellOutcome.Pending)))
            .ToList();
    }

    public const int TrendBarWidth = 76;
    public const int TrendHeight = 140;

    /// <summary>The weekly trend as bars with their percentage written above and the week below (an undecided week says so).</summary>
    public static string TrendSvg(IReadOnlyList<WeekPoint> weeks, Func<string, string> text)
    {
        var width = Math.Max(1, weeks.Count) * TrendBarWidth + 8;
        var summary = string.Join("; ", weeks.Select(w => $"{w.Week}: {RateText(w, text)}"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" class="trend" role="img" aria-label="{Encode($"{text("TrendLabel")}. {summary}")}" width="{width}" height="{TrendHeight}" viewBox="0 0 {width} {TrendHeight}">""");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(text("TrendLabel"))}</title>");
        const int top = 20, bottom = TrendHeight - 24, full = bottom - top;
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="0" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="#57606a"/>""");
        for (var i = 0; i < weeks.Count; i++)
        {
            var week = weeks[i];
            var x = 8 + i * TrendBarWidth;
            var barHeight = (week.Rate ?? 0) * full / 100;
            svg.Append(CultureInfo.InvariantCulture,
                $"""<rect data-testid="trend-{week.Week}" data-rate="{week.Rate?.ToString(CultureInfo.InvariantCulture) ?? ""}" x="{x}" y="{bottom - barHeight}" width="{TrendBarWidth - 16}" height="{barHeight}" fill="#1a7f37"/>""")
                .Append(CultureInfo.InvariantCulture,
                    $"""<text x="{x + (TrendBarWidth - 16) / 2}" y="{bottom - barHeight - 4}" text-anchor="middle" font-size="11">{Encode(RateText(week, text))}</text>""")
                .Append(CultureInfo.InvariantCulture,
                    $"""<text x="{x + (TrendBarWidth - 16) / 2}" y="{TrendHeight - 8}" text-anchor="middle" font-size="10">{Encode(week.Week[5..])}</text>""");
        }
        return svg.Append("</svg>").ToString();
    }

    static string RateText(WeekPoint week, Func<string, string> text) =>
        week.Rate is { } rate ? $"{rate}% ({week.Attended}/{week.Decided})" : text("TrendUndecided");

    /// <summary>The instant in the session's IANA time zone (UTC when the zone is unknown to this machine).</summary>
    public static DateTimeOffset Local(DateTimeOffset instant, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? TimeZoneInfo.ConvertTime(instant, zone) : instant.ToUniversalTime();

    static string Encode(string value) => WebUtility.HtmlEncode(value);
}
