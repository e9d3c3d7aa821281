using System.Globalization;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class SlotFinderTests
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    static readonly Guid Facilitator = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    static readonly Guid Colleague = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    static readonly TimeSpan FiftyMinutes = TimeSpan.FromMinutes(50);

    static DateTimeOffset NewYorkTime(int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(2030, month, day, hour, minute, 0);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    static Availability Hours(string from, string to) => new("America/New_York",
        Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, TimeOnly.Parse(from, CultureInfo.InvariantCulture), TimeOnly.Parse(to, CultureInfo.InvariantCulture))).ToList(), []);

    static CandidateClinician Clinician(Guid id, Availability hours, params TimeOff[] busy) => new(id, hours, busy);

    [Fact]
    public void Slots_start_on_the_half_hour_inside_working_hours_earliest_first()
    {
        var slots = SlotFinder.NextFree([Clinician(Facilitator, Hours("18:00", "20:00"))], null, [],
            NewYorkTime(1, 7, 17, 10), NewYorkTime(1, 8, 0), FiftyMinutes, max: 10);

        Assert.Equal([NewYorkTime(1, 7, 18), NewYorkTime(1, 7, 18, 30), NewYorkTime(1, 7, 19)], slots.Select(s => s.StartsAt));
        Assert.All(slots, s => Assert.Equal(FiftyMinutes, s.EndsAt - s.StartsAt));
    }

    [Fact]
    public void Evening_hours_stay_evening_hours_across_the_March_DST_change()
    {
        var slots = SlotFinder.NextFree([Clinician(Facilitator, Hours("19:00", "20:00"))], null, [],
            NewYorkTime(3, 8, 12), NewYorkTime(3, 12, 0), FiftyMinutes, max: 10);

        Assert.Equal(4, slots.Count);
        Assert.All(slots, s => Assert.Equal(new TimeSpan(19, 0, 0), TimeZoneInfo.ConvertTime(s.StartsAt, NewYork).TimeOfDay));
    }

    [Fact]
    public void A_busy_facilitator_hands_the_slot_to_a_colleague_and_the_patients_own_sessions_and_hours_are_respected()
    {
        var groupSession = new TimeOff(NewYorkTime(1, 7, 18), NewYorkTime(1, 7, 19));
        var patientBusy = new TimeOff(NewYorkTime(1, 7, 20), NewYorkTime(1, 7, 21));
        var slots = SlotFinder.NextFree(
            [Clinician(Facilitator, Hours("09:00", "22:00"), groupSession), Clinician(Colleague, Hours("18:00", "19:00"))],
            Hours("18:00", "21:00"), [patientBusy], NewYorkTime(1, 7, 12), NewYorkTime(1, 7, 23), FiftyMinutes, max: 10);

        // 18:00 the facilitator runs the group, so the colleague takes it; 18:30 neither is free for 50 minutes; 19:00 the
        // facilitator is back; from 19:30 the slot would run into the patient's own session at 20:00.
        Assert.Equal([(Colleague, NewYorkTime(1, 7, 18)), (Facilitator, NewYorkTime(1, 7, 19))], slots.Select(s => (s.ClinicianId, s.StartsAt)));
        Assert.DoesNotContain(slots, s => s.StartsAt < patientBusy.To && patientBusy.From < s.EndsAt);
        Assert.DoesNotContain(slots, s => s.ClinicianId == Facilitator && s.StartsAt < groupSession.To && groupSession.From < s.EndsAt);
        Assert.All(slots, s => Assert.InRange(TimeZoneInfo.ConvertTime(s.EndsAt, NewYork).TimeOfDay, TimeSpan.FromHours(18), TimeSpan.FromHours(21)));
    }

    [Fact]
    public void No_clinician_with_hours_means_no_slot_and_max_bounds_the_list()
    {
        Assert.Empty(SlotFinder.NextFree([], null, [], NewYorkTime(1, 7, 0), NewYorkTime(1, 14, 0), FiftyMinutes, max: 5));
        Assert.Equal(5, SlotFinder.NextFree([Clinician(Facilitator, Hours("00:00", "23:00"))], null, [],
            NewYorkTime(1, 7, 0), NewYorkTime(1, 14, 0), FiftyMinutes, max: 5).Count);
    }
}
