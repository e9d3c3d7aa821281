using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class NewSessionRulesTests
{
    static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);

    static SessionProposal Valid() => new(
        SessionKind.GroupTherapy,
        Now.AddDays(1),
        90,
        "America/New_York",
        [Guid.NewGuid(), Guid.NewGuid()]);

    static IReadOnlyList<FieldError> ErrorsFor(SessionProposal proposal)
    {
        Assert.False(NewSession.TryCreate(proposal, Now, out var session, out var errors));
        Assert.Null(session);
        return errors;
    }

    [Fact]
    public void A_valid_proposal_becomes_a_session_ending_after_its_duration()
    {
        var proposal = Valid() with { StartsAt = new DateTimeOffset(2030, 3, 2, 9, 0, 0, TimeSpan.FromHours(-5)) };

        Assert.True(NewSession.TryCreate(proposal, Now, out var session, out var errors));

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2030, 3, 2, 14, 0, 0, TimeSpan.Zero), session.StartsAt);
        Assert.Equal(TimeSpan.Zero, session.StartsAt.Offset);
        Assert.Equal(session.StartsAt.AddMinutes(90), session.EndsAt);
        Assert.Equal(proposal.PatientIds, session.PatientIds);
        Assert.Equal("America/New_York", session.TimeZone);
    }

    [Fact]
    public void A_session_starting_now_or_earlier_is_refused_on_startsAt()
    {
        Assert.Equal("startsAt", Assert.Single(ErrorsFor(Valid() with { StartsAt = Now })).Field);
        Assert.Equal("startsAt", Assert.Single(ErrorsFor(Valid() with { StartsAt = Now.AddMinutes(-1) })).Field);
    }

    [Fact]
    public void A_session_starting_one_tick_from_now_is_in_the_future()
    {
        Assert.True(NewSession.TryCreate(Valid() with { StartsAt = Now.AddTicks(1) }, Now, out _, out _));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(480)]
    public void Durations_at_the_bounds_are_accepted(int minutes)
    {
        Assert.True(NewSession.TryCreate(Valid() with { DurationMinutes = minutes }, Now, out _, out _));
    }

    [Theory]
    [InlineData(14)]
    [InlineData(481)]
    [InlineData(0)]
    [InlineData(-30)]
    public void Durations_outside_15_minutes_to_8_hours_are_refused(int minutes)
    {
        Assert.Equal("durationMinutes", Assert.Single(ErrorsFor(Valid() with { DurationMinutes = minutes })).Field);
    }

    [Fact]
    public void A_program_that_allows_shorter_check_ins_accepts_them_and_nothing_below()
    {
        Assert.True(NewSession.TryCreate(Valid() with { DurationMinutes = 1 }, Now, out _, out _, minDurationMinutes: 1));
        Assert.False(NewSession.TryCreate(Valid() with { DurationMinutes = 0 }, Now, out _, out _, minDurationMinutes: 1));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("america/new_york")]
    [InlineData("Eastern Standard Time")]
    [InlineData(" ")]
    public void A_time_zone_that_is_not_a_known_IANA_id_is_refused(string timeZone)
    {
        Assert.Equal("timeZone", Assert.Single(ErrorsFor(Valid() with { TimeZone = timeZone })).Field);
    }

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("UTC")]
    public void Known_IANA_time_zones_are_accepted(string timeZone)
    {
        Assert.True(NewSession.TryCreate(Valid() with { TimeZone = timeZone }, Now, out _, out _));
    }

    [Fact]
    public void A_session_without_patients_is_refused_on_patientIds()
    {
        Assert.Equal("patientIds", Assert.Single(ErrorsFor(Valid() with { PatientIds = [] })).Field);
        Assert.Equal("patientIds", Assert.Single(ErrorsFor(Valid() with { PatientIds = null })).Field);
    }

    [Fact]
    public void The_same_patient_listed_twice_is_refused()
    {
        var patient = Guid.NewGuid();
        Assert.Equal("patientIds", Assert.Single(ErrorsFor(Valid() with { PatientIds = [patient, patient] })).Field);
    }

    [Fact]
    public void An_empty_patient_id_is_refused()
    {
        Assert.Equal("patientIds", Assert.Single(ErrorsFor(Valid() with { PatientIds = [Guid.NewGuid(), Guid.Empty] })).Field);
    }

    [Fact]
    public void A_group_holds_at_most_50_patients()
    {
        var fifty = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        Assert.True(NewSession.TryCreate(Valid() with { PatientIds = fifty }, Now, out _, out _));

        var fiftyOne = fifty.Append(Guid.NewGuid()).ToList();
        Assert.Equal("patientIds", Assert.Single(ErrorsFor(Valid() with { PatientIds = fiftyOne })).Field);
    }

    [Fact]
    public void Every_missing_field_is_named()
    {
        var errors = ErrorsFor(new SessionProposal(null, null, null, null, null));

        Assert.Equal(["durationMinutes", "kind", "patientIds", "startsAt", "timeZone"], errors.Select(e => e.Field).Order());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:00Z")]
    [InlineData("2100-01-01T00:00:00Z")]
    public void A_start_past_2100_is_refused_on_startsAt_instead_of_overflowing(string startsAt)
    {
        var errors = ErrorsFor(Valid() with { StartsAt = DateTimeOffset.Parse(startsAt, System.Globalization.CultureInfo.InvariantCulture), DurationMinutes = NewSession.MaxDurationMinutes });

        Assert.Equal("startsAt", Assert.Single(errors).Field);
    }
}
