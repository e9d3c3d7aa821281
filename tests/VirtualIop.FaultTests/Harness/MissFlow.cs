using System.Globalization;
using System.Net;

namespace VirtualIop.FaultTests.Harness;

/// <summary>One patient who misses one session: each is owed one no-show, one "we missed you", one follow-up task and one makeup offer.</summary>
public sealed record Miss(Guid SessionId, Guid PatientId, string Email);

/// <summary>
/// A clinic's real flow of misses through the real stack: a program, cohorts of up to 50 enrolled patients with an email
/// contact each, and one one-minute session per cohort (a series occurrence, so it belongs to the program and is made up)
/// that nobody attends, starting a few seconds apart so the sweep decides them one after the other. Beside them,
/// sessions created and cancelled at once, whose patients are owed nothing at all.
/// </summary>
public sealed class MissFlow
{
    /// <summary>A cohort's capacity, and so the most patients one session of the flow has.</summary>
    public const int MaxPatientsPerCohort = 50;
    const int CancelledSessions = 5;
    const int PatientsPerCancelledSession = 2;
    const string TimeZone = "America/New_York";

    /// <summary>Between the sessions' creation and their start: setup done and reminders due before the start.</summary>
    static readonly TimeSpan Lead = FaultStack.ReminderOffset + TimeSpan.FromSeconds(5);

    MissFlow(Guid clinic, IReadOnlyList<Miss> misses, IReadOnlyList<Miss> cancelled, DateTimeOffset lastNoShowDue)
    {
        Clinic = clinic;
        Misses = misses;
        Cancelled = cancelled;
        LastNoShowDue = lastNoShowDue;
    }

    public Guid Clinic { get; }

    public IReadOnlyList<Miss> Misses { get; }

    /// <summary>The patients of the cancelled sessions.</summary>
    public IReadOnlyList<Miss> Cancelled { get; }

    /// <summary>When the last of the sessions is due for the no-show sweep.</summary>
    public DateTimeOffset LastNoShowDue { get; }

    /// <summary>
    /// Sets the clinic up and schedules sessions of <paramref name="patientsPerSession"/> for <paramref name="misses"/> patients,
    /// none of whom will check in; each session starts <paramref name="stagger"/> after the one before, so the sweep runs over
    /// a while instead of all at once.
    /// </summary>
    public static async Task<MissFlow> Start(FaultStack stack, int misses, int patientsPerSession, TimeSpan stagger)
    {
        if (patientsPerSession is < 1 or > MaxPatientsPerCohort)
            throw new ArgumentOutOfRangeException(nameof(patientsPerSession), $"A cohort holds 1 to {MaxPatientsPerCohort} patients.");
        var clinic = Guid.NewGuid();
        var api = stack.ApiFor(clinic);
        var run = clinic.ToString("N")[..8];
        string EmailOf(Guid patient) => $"fault-{run}-{patient:N}@example.test";

        var program = await api.Post("/api/scheduling/programs", new
        {
            name = "Fault suite IOP",
            topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } }
        });
        var programId = program.GetProperty("id").GetGuid();

        var cohortSizes = Enumerable.Range(0, (misses + patientsPerSession - 1) / patientsPerSession)
            .Select(i => Math.Min(patientsPerSession, misses - i * patientsPerSession)).ToList();
        var cohorts = new List<(Guid Id, IReadOnlyList<Guid> Patients)>();
        foreach (var (size, index) in cohortSizes.Select((size, index) => (size, index)))
        {
            var cohort = await api.Post("/api/scheduling/cohorts", new
            {
                programId, name = $"Group {index + 1}", facilitatorClinicianId = Guid.NewGuid(), capacity = MaxPatientsPerCohort, timeZone = TimeZone
            });
            cohorts.Add((cohort.GetProperty("id").GetGuid(), Enumerable.Range(0, size).Select(_ => Guid.NewGuid()).ToList()));
        }
        var cancelledRosters = Enumerable.Range(0, CancelledSessions)
            .Select(_ => Enumerable.Range(0, PatientsPerCancelledSession).Select(_ => Guid.NewGuid()).ToList()).ToList();

        var enrolments = cohorts.SelectMany(c => c.Patients.Select(p => (Cohort: c.Id, Patient: (Guid?)p)));
        await Parallel.ForEachAsync(enrolments, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (e, _) =>
            await api.Post($"/api/scheduling/cohorts/{e.Cohort}/enrolments", new { patientId = e.Patient }));
        var everyone = cohorts.SelectMany(c => c.Patients).Concat(cancelledRosters.SelectMany(r => r));
        await Parallel.ForEachAsync(everyone, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (patient, _) =>
            await api.Put($"/api/notification/patients/{patient}/contact", new { email = EmailOf(patient) }));

        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var firstStart = DateTimeOffset.UtcNow + Lead;
        var owed = new List<Miss>();
        foreach (var (cohort, index) in cohorts.Select((c, i) => (c, i)))
        {
            var local = TimeZoneInfo.ConvertTime(firstStart + index * stagger, zone);
            await api.Post($"/api/scheduling/cohorts/{cohort.Id}/series", new
            {
                rrule = "FREQ=DAILY;COUNT=1",
                startsAtLocal = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                durationMinutes = 1
            });
            var sessions = await api.Get($"/api/scheduling/cohorts/{cohort.Id}/sessions");
            var session = Assert.Single(sessions.EnumerateArray());
            var roster = session.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()).ToHashSet();
            Assert.True(roster.SetEquals(cohort.Patients), "The series' session lists every enrolled patient.");
            owed.AddRange(cohort.Patients.Select(p => new Miss(session.GetProperty("id").GetGuid(), p, EmailOf(p))));
        }

        var cancelled = new List<Miss>();
        foreach (var roster in cancelledRosters)
        {
            // Its reminder falls due a reminder offset after it is created, as for the cohorts' sessions: long enough for the
            // cancellation that follows at once to be consumed first. Started at firstStart, after the minutes the cohorts'
            // set-up can take, its reminder would be due already and race the cancellation instead.
            var session = await api.Post("/api/scheduling/sessions", new
            {
                kind = "groupTherapy", startsAt = DateTimeOffset.UtcNow + Lead, durationMinutes = 1, timeZone = TimeZone, patientIds = roster
            });
            var sessionId = session.GetProperty("id").GetGuid();
            await api.Post($"/api/scheduling/sessions/{sessionId}/cancel", new { reason = "clinicianUnavailable" }, HttpStatusCode.OK);
            cancelled.AddRange(roster.Select(p => new Miss(sessionId, p, EmailOf(p))));
        }

        var lastNoShowDue = firstStart + (cohorts.Count - 1) * stagger + TimeSpan.FromMinutes(1) + FaultStack.NoShowGrace;
        return new MissFlow(clinic, owed, cancelled, lastNoShowDue);
    }

    /// <summary>Waits until the sweep has decided at least one no-show: the misses start to flow.</summary>
    public Task FirstNoShow(FaultStack stack) => Until(stack, "attendance",
        "select count(*) from attendance_record where clinic_id = @clinic and outcome = 'noShow'");

    /// <summary>Waits until Attendance's relay has published a first SessionMissed: the consumers are about to take it.</summary>
    public Task FirstMissPublished(FaultStack stack) => Until(stack, "attendance", """
        select count(*) from outbox_message
        where message_type like '%SessionMissed' and sent_at is not null and (body->>'clinicId')::uuid = @clinic
        """);

    /// <summary>Waits until the dispatcher has sent a first "we missed you": it is in the middle of a pass.</summary>
    public Task FirstMissedYouSent(FaultStack stack) => Until(stack, "notification",
        "select count(*) from delivery where clinic_id = @clinic and kind = 'missedSession' and status = 'sent'");

    /// <summary>Waits until the consumers have taken effect for at least one miss: events are being consumed.</summary>
    public Task FirstFollowUp(FaultStack stack) => Until(stack, "engagement",
        "select count(*) from follow_up_task where clinic_id = @clinic and kind = 'missedSessionOutreach'");

    async Task Until(FaultStack stack, string database, string sql)
    {
        var deadline = LastNoShowDue + TimeSpan.FromMinutes(2);
        while (await stack.Scalar<long>(database, sql, Clinic) == 0)
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"Nothing came of the flow in {database} by {deadline:O}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Every effect of the flow as it stands now, against what is owed.</summary>
    public async Task<Tally> Count(FaultStack stack)
    {
        const string noShows = "select session_id, patient_id, count(*) from attendance_record where clinic_id = @clinic and outcome = 'noShow' group by 1, 2";
        const string followUps = "select session_id, patient_id, count(*) from follow_up_task where clinic_id = @clinic and kind = 'missedSessionOutreach' group by 1, 2";
        const string makeups = "select missed_session_id, patient_id, count(*) from makeup where clinic_id = @clinic group by 1, 2";
        var tally = new Tally(Misses.Count * 4);
        tally.Effect("no-show", Misses, Cancelled, await stack.CountsByPair("attendance", noShows, Clinic));
        tally.Effect("follow-up task", Misses, Cancelled, await stack.CountsByPair("engagement", followUps, Clinic));
        tally.Effect("makeup offer", Misses, Cancelled, await stack.CountsByPair("scheduling", makeups, Clinic));
        const string unknownOutcomes = "select session_id, patient_id, count(*) from delivery where clinic_id = @clinic and kind = 'missedSession' and status = 'unknown' group by 1, 2";
        tally.Mail(Misses, Cancelled, await stack.MailSink.AllMessagesAsync(), await stack.CountsByPair("notification", unknownOutcomes, Clinic));
        return tally;
    }

    /// <summary>
    /// What of the flow is still on its way (unsent outbox rows, deliveries of the clinic waiting, messages ready or
    /// unacknowledged in a consumer queue), or null when nothing is.
    /// </summary>
    public async Task<string?> StillInFlight(FaultStack stack)
    {
        var waiting = new List<string>();
        foreach (var service in FaultStack.Services)
        {
            var unsent = await stack.Scalar<long>(service, "select count(*) from outbox_message where sent_at is null");
            if (unsent > 0) waiting.Add($"{unsent} unsent outbox row(s) in {service}");
        }
        var deliveries = await stack.Scalar<long>("notification",
            "select count(*) from delivery where clinic_id = @clinic and status in ('pending', 'sending')", Clinic);
        if (deliveries > 0) waiting.Add($"{deliveries} delivery(ies) pending or sending");
        var messages = await stack.RabbitMq.MessagesInFlight();
        if (messages > 0) waiting.Add($"{messages} message(s) in consumer queues");
        return waiting.Count == 0 ? null : string.Join(", ", waiting);
    }
}
