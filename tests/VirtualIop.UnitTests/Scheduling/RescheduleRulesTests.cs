using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class RescheduleRulesTests
{
    static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_moved_session_keeps_its_length_unless_a_new_one_is_given()
    {
        var to = new DateTimeOffset(2030, 3, 2, 18, 0, 0, TimeSpan.FromHours(-5));

        Assert.True(Reschedule.TryCreate(new(to, null, ChangeReason.Holiday), TimeSpan.FromMinutes(90), Now, out var kept, out _));
        Assert.True(Reschedule.TryCreate(new(to, 60, ChangeReason.Holiday), TimeSpan.FromMinutes(90), Now, out var shorter, out _));

        Assert.Equal((to.ToUniversalTime(), to.AddMinutes(90).ToUniversalTime()), (kept.StartsAt, kept.EndsAt));
        Assert.Equal(TimeSpan.Zero, kept.StartsAt.Offset);
        Assert.Equal(to.AddMinutes(60), shorter.EndsAt);
    }

    [Fact]
    public void A_session_cannot_be_moved_to_now_or_the_past_nor_without_a_reason()
    {
        Assert.False(Reschedule.TryCreate(new(Now, null, null), TimeSpan.FromMinutes(90), Now, out _, out var errors));

        Assert.Equal(["startsAt", "reason"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Reasons_travel_as_camel_case_categories()
    {
        Assert.Equal("clinicianUnavailable", ChangeReason.ClinicianUnavailable.Name());
    }

    [Fact]
    public void A_move_to_the_end_of_time_is_refused_on_startsAt_instead_of_overflowing()
    {
        var endOfTime = new DateTimeOffset(9999, 12, 31, 23, 59, 0, TimeSpan.Zero);

        Assert.False(Reschedule.TryCreate(new(endOfTime, null, ChangeReason.Holiday), TimeSpan.FromMinutes(480), Now, out _, out var errors));

        Assert.Equal("startsAt", Assert.Single(errors).Field);
    }
}
