using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Messaging;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>
/// A clinician corrects a no-show to present or excused: the outreach task the miss opened is cancelled and its catch-up
/// package addressed, both as "corrected", and risk is evaluated again, whatever order the miss and its correction arrive in.
/// </summary>
[Collection(EngagementCollection.Name)]
public sealed class CorrectedMissTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    /// <summary>Engagement's consumers of a no-show (outreach, catch-up, risk) and of a correction (risk, outreach, catch-up).</summary>
    const int MissConsumers = 3;
    const int CorrectionConsumers = 3;

    static AttendanceCorrected Corrected(SessionMissed missed, string outcome, DateTimeOffset correctedAt) =>
        new(Guid.CreateVersion7(), missed.ClinicId, missed.SessionId, missed.PatientId, "noShow", outcome, outcome == "excusedAbsence" ? "illness" : null,
            correctedAt);

    async Task<(string Status, string? OutcomeNote)> Outreach(Guid clinic, Guid patient, Guid session)
    {
        await using var db = new NpgsqlConnection(service.ConnectionString);
        return await db.QuerySingleAsync<(string, string?)>("""
            select status, outcome_note from follow_up_task
            where clinic_id = @clinic and patient_id = @patient and session_id = @session and kind = 'missedSessionOutreach'
            """, new { clinic, patient, session });
    }

    async Task<int> InboxRows(Guid eventId, string consumer)
    {
        await using var db = new NpgsqlConnection(service.ConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from inbox_message where message_id = @eventId and consumer = @consumer",
            new { eventId, consumer });
    }

    [Fact]
    public async Task Correcting_a_no_show_to_excused_closes_its_outreach_and_catch_up_as_corrected_once()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var missed = Missed(clinic, patient, 0.2);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, MissConsumers);
        Assert.Equal(("open", (string?)null), await Outreach(clinic, patient, missed.SessionId));
        Assert.True((await service.ContinuityOf(clinic, patient)).CatchUpRequired);
        var correction = Corrected(missed, "excusedAbsence", DateTimeOffset.UtcNow);

        await service.Broker.Publish(correction);
        await service.Broker.Publish(correction);
        await service.Consumed.WaitFor(correction.EventId, 2 * CorrectionConsumers);

        Assert.Equal(("cancelled", "corrected"), await Outreach(clinic, patient, missed.SessionId));
        var continuity = await service.ContinuityOf(clinic, patient);
        Assert.False(continuity.CatchUpRequired);
        var package = Assert.Single(continuity.Packages);
        Assert.Equal(("addressed", "corrected"), (package.Status, package.AddressedHow));
        Assert.Equal((1, 1), (await InboxRows(correction.EventId, CloseOutreachOnCorrection.InboxKey), await InboxRows(correction.EventId, CloseCatchUpOnCorrection.InboxKey)));
    }

    [Fact]
    public async Task A_correction_to_an_unexcused_absence_leaves_the_outreach_and_catch_up_open()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var missed = Missed(clinic, patient, 0.2);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, MissConsumers);
        var correction = Corrected(missed, "unexcusedAbsence", DateTimeOffset.UtcNow);

        await service.Broker.Publish(correction);
        await service.Consumed.WaitFor(correction.EventId, CorrectionConsumers);

        Assert.Equal(("open", (string?)null), await Outreach(clinic, patient, missed.SessionId));
        Assert.True((await service.ContinuityOf(clinic, patient)).CatchUpRequired);
    }

    [Fact]
    public async Task A_no_show_that_arrives_after_its_correction_to_present_opens_neither_outreach_nor_catch_up()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var missed = Missed(clinic, patient, 0.2);
        var correction = Corrected(missed, "present", DateTimeOffset.UtcNow);

        await service.Broker.Publish(correction);
        await service.Consumed.WaitFor(correction.EventId, CorrectionConsumers);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, MissConsumers);

        Assert.Empty(await service.FollowUpsOf(clinic, patient));
        Assert.Empty((await service.ContinuityOf(clinic, patient)).Packages);
        Assert.Equal("none", (await service.RiskOf(clinic, patient))?.Level ?? "none");
    }
}
