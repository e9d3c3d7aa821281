using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class PhaseRulesTests
{
    static readonly DateTimeOffset Monday = new(2026, 3, 2, 23, 0, 0, TimeSpan.Zero);

    static ProgramProposal Program(params PhaseProposal?[] phases) => new("IOP",
        [new("Triggers", SessionKind.GroupTherapy), new("Cravings", SessionKind.GroupTherapy), new("Relapse prevention", SessionKind.GroupTherapy)], phases);

    static PhaseSession Session(AttendanceOutcome outcome, int day = 0) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "Triggers", Monday.AddDays(day), outcome);

    static MissRemedies Remedies(IEnumerable<Guid>? makeups = null, IEnumerable<Guid>? packages = null, IEnumerable<Guid>? waivers = null) =>
        new((makeups ?? []).ToHashSet(), (packages ?? []).ToHashSet(), (waivers ?? []).ToHashSet());

    [Fact]
    public void A_program_without_phases_is_still_a_program()
    {
        Assert.True(NewProgram.TryCreate(Program(), out var program, out _));
        Assert.Empty(program.Phases);
    }

    [Fact]
    public void Phases_are_numbered_in_the_order_given_and_cover_their_topics_by_position()
    {
        Assert.True(NewProgram.TryCreate(Program(new PhaseProposal(" Stabilisation ", [2, 1]), new PhaseProposal("Maintenance", [3])), out var program, out _));

        Assert.Equal([(1, "Stabilisation", new[] { 1, 2 }), (2, "Maintenance", new[] { 3 })],
            program.Phases.Select(p => (p.Position, p.Name, p.TopicPositions.ToArray())));
    }

    [Fact]
    public void Every_topic_belongs_to_a_phase_so_no_missed_topic_escapes_the_gate()
    {
        Assert.False(NewProgram.TryCreate(Program(new PhaseProposal("Stabilisation", [1, 2])), out _, out var errors));
        Assert.Equal("phases", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_topic_is_in_one_phase_only()
    {
        Assert.False(NewProgram.TryCreate(Program(new PhaseProposal("Stabilisation", [1, 2]), new PhaseProposal("Maintenance", [2, 3])), out _, out var errors));
        Assert.Equal("phases[1].topics", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_phase_names_topics_by_their_place_in_the_curriculum(int position)
    {
        Assert.False(NewProgram.TryCreate(Program(new PhaseProposal("Stabilisation", [1, 2, position])), out _, out var errors));
        Assert.Equal("phases[0].topics", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_phase_lists_no_more_topics_than_the_curriculum_has()
    {
        Assert.False(NewProgram.TryCreate(Program(new PhaseProposal("Stabilisation", [1, 2, 3, 1])), out _, out var errors));
        Assert.Equal("phases[0].topics", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_phase_without_a_name_or_topics_is_named_by_its_index()
    {
        Assert.False(NewProgram.TryCreate(Program(new PhaseProposal("Stabilisation", [1, 2, 3]), new PhaseProposal(" ", [])), out _, out var errors));
        Assert.Equal(["phases[1].name", "phases[1].topics"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_no_show_and_an_unexcused_absence_are_outstanding_until_addressed()
    {
        var noShow = Session(AttendanceOutcome.NoShow, 2);
        var unexcused = Session(AttendanceOutcome.UnexcusedAbsence, 1);

        Assert.Equal([unexcused, noShow], PhaseGate.Outstanding([noShow, unexcused], MissRemedies.None));
    }

    [Fact]
    public void An_attended_session_or_an_excused_absence_leaves_nothing_outstanding()
    {
        // A no-show corrected to present or excused reaches the gate as the corrected outcome.
        Assert.Empty(PhaseGate.Outstanding([Session(AttendanceOutcome.Attended), Session(AttendanceOutcome.ExcusedAbsence)], MissRemedies.None));
    }

    [Fact]
    public void A_completed_makeup_a_finished_catch_up_or_a_waiver_each_address_a_miss()
    {
        var madeUp = Session(AttendanceOutcome.NoShow);
        var caughtUp = Session(AttendanceOutcome.NoShow, 1);
        var waived = Session(AttendanceOutcome.UnexcusedAbsence, 2);
        var open = Session(AttendanceOutcome.NoShow, 3);

        var outstanding = PhaseGate.Outstanding([madeUp, caughtUp, waived, open],
            Remedies(makeups: [madeUp.SessionId], packages: [caughtUp.SessionId], waivers: [waived.SessionId]));

        Assert.Equal([open], outstanding);
    }

    [Fact]
    public void A_remedy_for_another_session_addresses_nothing()
    {
        var missed = Session(AttendanceOutcome.NoShow);
        Assert.Equal([missed], PhaseGate.Outstanding([missed], Remedies(makeups: [Guid.NewGuid()], packages: [Guid.NewGuid()], waivers: [Guid.NewGuid()])));
    }

    [Fact]
    public void A_patient_with_nothing_outstanding_advances_to_the_next_phase() =>
        Assert.Equal(PhaseVerdict.Advance, PhaseGate.Decide(currentPhase: 1, phaseCount: 2, fromPhase: 1, outstanding: []));

    [Fact]
    public void Outstanding_content_holds_the_patient_in_their_phase() =>
        Assert.Equal(PhaseVerdict.ContentOutstanding, PhaseGate.Decide(1, 2, 1, [Session(AttendanceOutcome.NoShow)]));

    [Fact]
    public void The_last_phase_has_no_next_one() =>
        Assert.Equal(PhaseVerdict.LastPhase, PhaseGate.Decide(2, 2, 2, []));

    [Fact]
    public void Advancing_from_a_phase_the_patient_already_left_changes_nothing() =>
        Assert.Equal(PhaseVerdict.PhaseMoved, PhaseGate.Decide(2, 3, 1, []));
}
