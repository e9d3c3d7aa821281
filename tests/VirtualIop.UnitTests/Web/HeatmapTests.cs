using System.Globalization;
using System.Xml.Linq;
using VirtualIop.Web.StaffConsole;

namespace VirtualIop.UnitTests.Web;

/// <summary>The console's heatmap reads without colour: every cell has a letter, a title, a label and the keyboard focus.</summary>
public sealed class HeatmapTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    static readonly Guid Ana = Guid.Parse("11111111-0000-0000-0000-000000000001");
    static readonly Guid Ben = Guid.Parse("22222222-0000-0000-0000-000000000002");
    static readonly Guid Monday = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    static readonly Guid Tuesday = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000002");

    static string Text(string key) => $"[{key}]";

    static HeatmapData Data(params HeatmapCell[] cells) => new(Guid.NewGuid(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(28),
        [
            new(Monday, new(2031, 1, 13, 16, 0, 0, TimeSpan.Zero), new(2031, 1, 13, 17, 30, 0, TimeSpan.Zero), "America/Chicago"),
            new(Tuesday, new(2031, 1, 14, 16, 0, 0, TimeSpan.Zero), new(2031, 1, 14, 17, 30, 0, TimeSpan.Zero), "America/Chicago"),
        ],
        [new(Ana, null, "goodStanding", 3, null), new(Ben, null, "inBreach", 0, null)],
        cells);

    [Theory]
    [InlineData("present", false, CellOutcome.Present)]
    [InlineData("late", false, CellOutcome.Late)]
    [InlineData("partial", false, CellOutcome.Partial)]
    [InlineData("excusedAbsence", false, CellOutcome.Excused)]
    [InlineData("unexcusedAbsence", false, CellOutcome.Unexcused)]
    [InlineData("noShow", false, CellOutcome.NoShow)]
    [InlineData("noShow", true, CellOutcome.MadeUp)]
    [InlineData("excusedAbsence", true, CellOutcome.MadeUp)]
    [InlineData("present", true, CellOutcome.Present)]
    [InlineData("pending", false, CellOutcome.Pending)]
    [InlineData("somethingNew", false, CellOutcome.Pending)]
    public void A_miss_a_completed_makeup_replaced_shows_as_made_up_and_attendance_never_does(string outcome, bool madeUp, CellOutcome shown) =>
        Assert.Equal(shown, Outcomes.Of(outcome, madeUp));

    [Fact]
    public void Every_outcome_has_its_own_letter_and_its_own_colour_so_neither_alone_carries_it()
    {
        Assert.Equal(Enum.GetValues<CellOutcome>(), Outcomes.Styles.Select(s => s.Outcome));
        Assert.Equal(Outcomes.Styles.Count, Outcomes.Styles.Select(s => s.Letter).Distinct().Count());
        Assert.Equal(Outcomes.Styles.Count, Outcomes.Styles.Select(s => s.Fill).Distinct().Count());
        Assert.Equal(["present", "late", "partial", "excused", "unexcused", "no-show", "made-up", "pending"], Outcomes.Styles.Select(s => s.Hook));
    }

    [Fact]
    public void Each_cell_carries_its_outcome_as_fill_letter_title_and_label_and_takes_the_keyboard_focus()
    {
        var data = Data(new(Ana, Monday, "present", false), new(Ana, Tuesday, "noShow", true), new(Ben, Monday, "noShow", false));

        var svg = XElement.Parse(Heatmap.Svg(data, Text, CultureInfo.GetCultureInfo("en")));

        Assert.Equal("group", (string?)svg.Attribute("role"));
        Assert.Equal("[HeatmapLabel]", (string?)svg.Attribute("aria-label"));
        var cells = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "cell").ToDictionary(g => (string)g.Attribute("data-testid")!);
        Assert.Equal(3, cells.Count);
        var made = cells[$"cell-{Ana}-{Tuesday}"];
        Assert.Equal(("made-up", "0", "img"), ((string?)made.Attribute("data-outcome"), (string?)made.Attribute("tabindex"), (string?)made.Attribute("role")));
        Assert.Equal("M", made.Element(Svg + "text")!.Value);
        Assert.Equal("#8250df", (string?)made.Elements(Svg + "rect").First().Attribute("fill"));
        // The session's local time (Chicago), not UTC, names the cell.
        var title = made.Element(Svg + "title")!.Value;
        Assert.StartsWith("[Patient] 00000001, Tuesday, January 14, 2031 10:00", title);
        Assert.EndsWith(": [OutcomeMadeUp]", title);
        Assert.Equal(made.Element(Svg + "title")!.Value, (string?)made.Attribute("aria-label"));
        var missed = cells[$"cell-{Ben}-{Monday}"];
        Assert.Equal(("no-show", "N"), ((string?)missed.Attribute("data-outcome"), missed.Element(Svg + "text")!.Value));
        Assert.Contains(missed.Elements(Svg + "rect"), r => (string?)r.Attribute("fill") == "url(#p-cross)");
        // Ben was not expected on Tuesday: an outline that neither takes the focus nor speaks.
        var empty = Assert.Single(svg.Descendants(Svg + "rect"), r => (string?)r.Attribute("class") == "not-expected");
        Assert.Equal("true", (string?)empty.Attribute("aria-hidden"));
    }

    [Fact]
    public void The_patient_in_breach_comes_first_with_the_standing_written_beside_the_row()
    {
        var svg = XElement.Parse(Heatmap.Svg(Data(new(Ana, Monday, "present", false), new(Ben, Monday, "noShow", false)), Text, CultureInfo.InvariantCulture));

        var standings = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "standing").ToList();
        Assert.Equal([$"standing-{Ben}", $"standing-{Ana}"], standings.Select(t => (string)t.Attribute("data-testid")!));
        Assert.Equal("✕ [StandingInBreach]", standings[0].Value);
        Assert.Equal("✓ [StandingGoodStanding] ([AbsencesToBreach])", standings[1].Value);
    }

    [Fact]
    public void Patients_enrolled_in_the_same_moment_get_different_labels()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7()).ToList();

        Assert.Equal(ids.Count, ids.Select(id => Heatmap.PatientLabel(id, Text)).Distinct().Count());
    }

    [Fact]
    public void Patients_needing_attention_come_first_then_by_id()
    {
        var unknown = new HeatmapPatient(Guid.Parse("00000000-0000-0000-0000-000000000009"), null, null, null, null);
        var atRisk = new HeatmapPatient(Guid.Parse("00000000-0000-0000-0000-000000000008"), null, "atRisk", 1, null);
        var good = new HeatmapPatient(Guid.Parse("00000000-0000-0000-0000-000000000001"), null, "goodStanding", 4, null);
        var breach = new HeatmapPatient(Guid.Parse("00000000-0000-0000-0000-000000000007"), null, "inBreach", 0, null);

        Assert.Equal([breach, atRisk, good, unknown], Heatmap.OrderPatients([unknown, good, atRisk, breach]));
    }

    [Fact]
    public void A_patients_weekly_trend_groups_by_the_sessions_local_iso_week_and_counts_a_made_up_miss_as_attended()
    {
        // Sunday 12 January 2031, 20:00 in Chicago, is Monday in UTC: it belongs to the local week 2031-W02.
        var sunday = Guid.NewGuid();
        var data = Data(new(Ana, Monday, "present", false), new(Ana, Tuesday, "noShow", true), new(Ana, sunday, "noShow", false),
            new(Ben, Monday, "noShow", false));
        data = data with
        {
            Sessions = [.. data.Sessions, new(sunday, new(2031, 1, 13, 2, 0, 0, TimeSpan.Zero), new(2031, 1, 13, 3, 0, 0, TimeSpan.Zero), "America/Chicago")]
        };
        var pendingWeek = data with
        {
            Sessions = [.. data.Sessions, new(Guid.Empty, new(2031, 1, 21, 16, 0, 0, TimeSpan.Zero), new(2031, 1, 21, 17, 0, 0, TimeSpan.Zero), "America/Chicago")],
            Cells = [.. data.Cells, new(Ana, Guid.Empty, "pending", false)]
        };

        var weeks = Heatmap.WeeklyTrend(pendingWeek, Ana);

        Assert.Equal([("2031-W02", new DateOnly(2031, 1, 6), 0, 1, (int?)0), ("2031-W03", new DateOnly(2031, 1, 13), 2, 2, 100), ("2031-W04", new DateOnly(2031, 1, 20), 0, 0, null)],
            weeks.Select(w => (w.Week, w.WeekStartsOn, w.Attended, w.Decided, w.Rate)));
        var trend = XElement.Parse(Heatmap.TrendSvg(weeks, Text));
        Assert.Equal("img", (string?)trend.Attribute("role"));
        Assert.Equal("[TrendLabel]. 2031-W02: 0% (0/1); 2031-W03: 100% (2/2); 2031-W04: [TrendUndecided]", (string?)trend.Attribute("aria-label"));
        Assert.Contains(trend.Descendants(Svg + "text"), t => t.Value == "100% (2/2)");
    }
}
