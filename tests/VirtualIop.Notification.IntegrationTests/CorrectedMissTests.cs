using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// A clinician corrects a no-show to present or excused: the messages about the miss that have not gone out yet are
/// cancelled with the reason "corrected" and never sent, whatever order the miss and its correction arrive in. The
/// dispatcher is left idle until each test runs a pass itself, so what is queued is settled before anything is sent.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class CorrectedMissTests(IdleDispatcherService idle, SmtpSink smtp) : IClassFixture<IdleDispatcherService>
{
    readonly NotificationService service = idle.Service;

    static SessionMissed Missed(Guid clinic, Guid session, Guid patient, DateTimeOffset detectedAt) =>
        new(Guid.CreateVersion7(), clinic, session, patient, detectedAt.AddHours(-1), "America/Chicago", detectedAt);

    static AttendanceCorrected Corrected(SessionMissed missed, string outcome, DateTimeOffset correctedAt) =>
        new(Guid.CreateVersion7(), missed.ClinicId, missed.SessionId, missed.PatientId, "noShow", outcome, outcome == "excusedAbsence" ? "illness" : null,
            correctedAt);

    /// <summary>A correction is taken by two consumers here: this one and the technical-support offer.</summary>
    static int Consumers(object e) => e is AttendanceCorrected ? 2 : 1;

    async Task Deliver(params object[] events)
    {
        foreach (var e in events)
        {
            await service.Broker.Publish((dynamic)e);
            await service.Consumed.WaitFor(((dynamic)e).EventId, times: Consumers(e));
        }
    }

    [Fact]
    public async Task A_no_show_corrected_to_excused_before_its_we_missed_you_goes_out_is_never_sent()
    {
        var (clinic, session, corrected, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var correctedEmail = await service.RegisterContact(clinic, corrected);
        var otherEmail = await service.RegisterContact(clinic, other);
        var now = DateTimeOffset.UtcNow;
        var miss = Missed(clinic, session, corrected, now);
        var correction = Corrected(miss, "excusedAbsence", now.AddMinutes(1));

        await Deliver(miss, Missed(clinic, session, other, now));
        await service.Broker.Publish(correction);
        await service.Broker.Publish(correction);
        await service.Consumed.WaitFor(correction.EventId, times: 2 * Consumers(correction));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        // The patient whose miss stands is written to: the pass ran, and the corrected patient's message was not in it.
        Assert.StartsWith("We missed you", (await smtp.WaitForMessageAsync(otherEmail)).Subject);
        Assert.Empty(await smtp.MessagesToAsync(correctedEmail));
        var cancelled = Assert.Single(await service.PatientDeliveries(clinic, corrected));
        Assert.Equal(("missedSession", "cancelled", "corrected", (DateTimeOffset?)null), (cancelled.Kind, cancelled.Status, cancelled.Reason, cancelled.SentAt));
        Assert.Equal(1, await service.CountWhere("miss_correction", "clinic_id = @clinic and patient_id = @corrected", new { clinic, corrected }));
    }

    [Fact]
    public async Task A_no_show_that_arrives_after_its_correction_queues_nothing()
    {
        var (clinic, session, patient) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var email = await service.RegisterContact(clinic, patient);
        var now = DateTimeOffset.UtcNow;
        var miss = Missed(clinic, session, patient, now);

        await Deliver(Corrected(miss, "present", now.AddMinutes(1)), miss);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        Assert.Empty(await service.PatientDeliveries(clinic, patient));
        Assert.Empty(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_correction_to_an_unexcused_absence_leaves_the_we_missed_you_queued()
    {
        var (clinic, session, patient) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await service.RegisterContact(clinic, patient);
        var now = DateTimeOffset.UtcNow;
        var miss = Missed(clinic, session, patient, now);

        await Deliver(miss, Corrected(miss, "unexcusedAbsence", now.AddMinutes(1)));

        var queued = Assert.Single(await service.PatientDeliveries(clinic, patient));
        Assert.Equal(("missedSession", "pending"), (queued.Kind, queued.Status));
    }

    [Fact]
    public async Task The_makeup_options_queued_after_the_we_missed_you_went_out_are_cancelled_by_the_correction()
    {
        var (clinic, session, patient) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var email = await service.RegisterContact(clinic, patient);
        var now = DateTimeOffset.UtcNow;
        var miss = Missed(clinic, session, patient, now);
        await Deliver(miss);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);
        await smtp.WaitForMessageAsync(email);
        await Deliver(new MakeupOffered(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session, patient, ["oneOnOne"], now.AddDays(7), now, 1));
        Assert.Contains(await service.PatientDeliveries(clinic, patient), d => d is { Kind: "makeupOptions", Status: "pending" });

        await Deliver(Corrected(miss, "excusedAbsence", now.AddMinutes(1)));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        var options = Assert.Single(await service.PatientDeliveries(clinic, patient), d => d.Kind == "makeupOptions");
        Assert.Equal(("cancelled", "corrected"), (options.Status, options.Reason));
        Assert.Single(await smtp.MessagesToAsync(email));
    }
}
