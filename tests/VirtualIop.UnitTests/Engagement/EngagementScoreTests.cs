using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class EngagementScoreTests
{
    static readonly EngagementFacts Nothing = new(0, 0, 0, 0, 0, 0, 0);

    static decimal? Part(EngagementScoreCard card, string name) => card.Parts.Single(p => p.Name == name).Value;

    [Fact]
    public void A_patient_with_nothing_to_judge_has_no_score_yet_but_every_part_is_shown()
    {
        var card = EngagementScore.Of(Nothing);

        Assert.Null(card.Score);
        Assert.Equal(["attendance", "makeups", "homework"], card.Parts.Select(p => p.Name));
        Assert.All(card.Parts, p => Assert.Null(p.Value));
    }

    [Fact]
    public void Perfect_attendance_with_nothing_to_make_up_scores_100()
    {
        Assert.Equal(100, EngagementScore.Of(Nothing with { Attended = 8 }).Score);
    }

    [Fact]
    public void An_excused_absence_does_not_lower_attendance()
    {
        var card = EngagementScore.Of(Nothing with { Attended = 3, Excused = 1, MakeupsCompleted = 1 });

        Assert.Equal(1m, Part(card, "attendance"));
        Assert.Equal(100, card.Score);
    }

    [Fact]
    public void The_parts_are_weighted_sixty_twenty_twenty()
    {
        // attendance 3/4 = 0.75, makeups 1 of 1 absence = 1, homework 0 of 1 = 0 → 0.6*0.75 + 0.2*1 + 0.2*0 = 0.65
        var card = EngagementScore.Of(new EngagementFacts(Attended: 3, Missed: 1, Excused: 0, MakeupsBooked: 1, MakeupsCompleted: 1, HomeworkSet: 1, HomeworkDone: 0));

        Assert.Equal((0.75m, 1m, 0m), (Part(card, "attendance"), Part(card, "makeups"), Part(card, "homework")));
        Assert.Equal(65, card.Score);
        Assert.Equal(1m, card.Parts.Sum(p => p.Weight));
    }

    [Fact]
    public void A_booked_makeup_counts_half_until_it_is_completed_and_makeups_never_count_more_than_the_absences()
    {
        Assert.Equal(0.25m, Part(EngagementScore.Of(Nothing with { Missed = 2, MakeupsBooked = 1 }), "makeups"));
        Assert.Equal(0.5m, Part(EngagementScore.Of(Nothing with { Missed = 2, MakeupsBooked = 1, MakeupsCompleted = 1 }), "makeups"));
        Assert.Equal(1m, Part(EngagementScore.Of(Nothing with { Missed = 1, MakeupsBooked = 3, MakeupsCompleted = 3 }), "makeups"));
    }

    [Fact]
    public void A_part_that_cannot_be_judged_scales_the_others_up_instead_of_counting_as_zero()
    {
        // attendance 1/2 only: the score is 50, not 0.6 * 50 = 30; the absence with no makeup adds a makeups part of 0.
        var card = EngagementScore.Of(Nothing with { Attended = 1, Missed = 1 });

        Assert.Null(Part(card, "homework"));
        Assert.Equal(0m, Part(card, "makeups"));
        Assert.Equal(38, card.Score); // (0.6 * 0.5 + 0.2 * 0) / 0.8 = 0.375 → 38
    }
}
