using Hl7.Fhir.Model;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class FhirRulesTests
{
    static (DateTimeOffset? From, DateTimeOffset? Before) Range(string value)
    {
        Assert.True(FhirSearch.TryParseDate(value, out var range, out var problem), problem);
        return range;
    }

    static readonly DateTimeOffset Jan5 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_date_without_prefix_matches_its_whole_day_and_prefixes_bound_it_from_either_side()
    {
        Assert.Equal((Jan5, Jan5.AddDays(1)), Range("2026-01-05"));
        Assert.Equal((Jan5, Jan5.AddDays(1)), Range("eq2026-01-05"));
        Assert.Equal((Jan5, null), Range("ge2026-01-05"));
        Assert.Equal((Jan5.AddDays(1), null), Range("gt2026-01-05"));
        Assert.Equal((null, Jan5.AddDays(1)), Range("le2026-01-05"));
        Assert.Equal((null, Jan5), Range("lt2026-01-05"));
        Assert.Equal((new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), Range("2026-01"));
    }

    [Fact]
    public void An_instant_keeps_its_offset_and_le_includes_its_own_second()
    {
        var sixPmNewYork = new DateTimeOffset(2026, 1, 5, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal((null, sixPmNewYork.AddSeconds(1)), Range("le2026-01-05T18:00:00-05:00"));
        Assert.Equal((sixPmNewYork, null), Range("ge2026-01-05T23:00:00Z"));
    }

    [Theory]
    [InlineData("ne2026-01-05")]
    [InlineData("sa2026-01-05")]
    [InlineData("2026-01-05T18:00")]
    [InlineData("2026-02-30")]
    [InlineData("1999-12-31")]
    [InlineData("tomorrow")]
    [InlineData("")]
    public void Unsupported_prefixes_missing_offsets_impossible_dates_and_dates_out_of_range_are_refused(string value) =>
        Assert.False(FhirSearch.TryParseDate(value, out _, out _));

    [Fact]
    public void Several_date_parameters_narrow_the_range_and_unknown_or_repeated_parameters_are_refused()
    {
        var (query, errors) = FhirSearch.Parse("Appointment", [("date", "ge2026-01-01"), ("date", "le2026-01-31"), ("date", "ge2026-01-05")]);
        Assert.Empty(errors);
        Assert.Equal((Jan5, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), (query!.From, query.Before));
        Assert.Equal(FhirSearch.DefaultCount, query.Count);

        var (_, refused) = FhirSearch.Parse("Encounter", [("status", "finished"), ("patient", Guid.NewGuid().ToString()), ("patient", Guid.NewGuid().ToString())]);
        Assert.Equal(["status", "patient"], refused.Select(e => e.Parameter));
    }

    [Fact]
    public void A_status_search_finds_every_state_that_reads_as_that_status()
    {
        var (query, _) = FhirSearch.Parse("Appointment", [("status", "cancelled,noshow")]);
        Assert.Equal([AppointmentState.Cancelled, AppointmentState.NoShow, AppointmentState.ExcusedAbsence, AppointmentState.UnexcusedAbsence],
            query!.States!.Order());
        var (proposed, _) = FhirSearch.Parse("Appointment", [("status", "proposed")]);
        Assert.Empty(proposed!.States!);
    }

    [Fact]
    public void A_cursor_round_trips_and_anything_else_is_refused()
    {
        var cursor = new FhirCursor(Jan5, Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal(cursor, FhirCursor.Decode(cursor.Encode()));
        Assert.Null(FhirCursor.Decode("zzz"));
    }

    [Fact]
    public void An_appointment_id_carries_the_session_and_the_patient_in_lower_case_hex_only()
    {
        var (session, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var id = FhirIds.Of(session, patient);
        Assert.Equal(64, id.Length);
        Assert.True(FhirIds.TryParse(id, out var parsed));
        Assert.Equal((session, patient), parsed.Value);
        Assert.False(FhirIds.TryParse(id.ToUpperInvariant(), out _));
        Assert.False(FhirIds.TryParse(id[..63], out _));
    }

    static AppointmentFacts Facts(AppointmentState state, DateTimeOffset? checkedInAt = null, string? cancelReason = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), SessionKind.GroupTherapy, false, Jan5.AddHours(23), Jan5.AddHours(26), "America/New_York", Guid.NewGuid(),
            state, cancelReason, checkedInAt);

    [Fact]
    public void An_excused_absence_is_a_cancellation_by_the_patient_and_an_unexcused_one_a_no_show()
    {
        var excused = FhirViews.ToAppointment(Facts(AppointmentState.ExcusedAbsence));
        Assert.Equal((Appointment.AppointmentStatus.Cancelled, "pat", ParticipationStatus.Declined),
            (excused.Status, excused.CancelationReason!.Coding[0].Code, excused.Participant[0].Status));
        Assert.Equal(Appointment.AppointmentStatus.Noshow, FhirViews.ToAppointment(Facts(AppointmentState.UnexcusedAbsence)).Status);
        Assert.Null(FhirViews.ToAppointment(Facts(AppointmentState.NoShow)).CancelationReason);
        Assert.Equal("maint", FhirViews.ToAppointment(Facts(AppointmentState.Cancelled, cancelReason: "technicalIssue")).CancelationReason!.Coding[0].Code);
        Assert.Equal(TimeSpan.FromHours(-5), FhirViews.ToAppointment(Facts(AppointmentState.Scheduled)).Start!.Value.Offset);
    }

    [Fact]
    public void An_encounter_exists_once_attended_and_counts_the_minutes_from_check_in_to_the_end_or_to_now_while_it_runs()
    {
        var facts = Facts(AppointmentState.Attended, checkedInAt: Jan5.AddHours(23).AddMinutes(12));
        Assert.Null(FhirViews.ToEncounter(Facts(AppointmentState.NoShow), Jan5.AddDays(2)));

        var finished = FhirViews.ToEncounter(facts, Jan5.AddDays(2))!;
        Assert.Equal((Encounter.EncounterStatus.Finished, 168m), (finished.Status!.Value, finished.Length!.Value!.Value));

        var running = FhirViews.ToEncounter(facts, Jan5.AddHours(24))!;
        Assert.Equal((Encounter.EncounterStatus.InProgress, 48m, null), (running.Status!.Value, running.Length!.Value!.Value, running.Period!.End));
    }
}
