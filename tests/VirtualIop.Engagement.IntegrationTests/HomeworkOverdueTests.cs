using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>Homework that falls overdue between sessions raises the risk when it does, with no Attendance event.</summary>
[Collection(EngagementCollection.Name)]
public sealed class HomeworkOverdueTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static readonly DateOnly DueOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);

    /// <summary>A patient who missed a session whose content set homework due tomorrow, with the package assigned and the miss evaluated.</summary>
    async Task<Guid> MissedSessionWithHomework(Guid clinic, Guid patient)
    {
        var session = Guid.NewGuid();
        await service.KnowSession(clinic, session);
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{session}/content", new
        {
            keyPoints = new[] { "Urges peak and pass" },
            homework = new { title = "Urge log", instructions = "Write down each urge.", dueOn = DueOn.ToString("yyyy-MM-dd") }
        })).EnsureSuccessStatusCode();
        var missed = Missed(clinic, patient, 0.1, session);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, times: 3);
        await service.WaitForContinuity(clinic, patient, v => v.Packages.Any(p => p.SessionId == session && p.Items.Any(i => i.Kind == "homework")),
            "the missed session's homework assigned");
        return session;
    }

    [Fact]
    public async Task Homework_falling_overdue_between_sessions_raises_the_risk_once_after_the_programs_grace_days()
    {
        var (clinic, program, patient) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var scheduled = Scheduled(clinic, program, null, null, 2, patient);
        await service.Broker.Publish(scheduled);
        await service.Consumed.WaitFor(scheduled.EventId, times: 1);
        var put = await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/programs/{program}/pattern-settings", new { homeworkOverdueDays = 5 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var session = await MissedSessionWithHomework(clinic, patient);
        Assert.Equal("none", (await service.RiskOf(clinic, patient))!.Level);

        // Past the default two grace days but within the program's five: nothing yet.
        await service.ReevaluateRiskOfOverdueHomework(EngagementPatterns.HomeworkOverdueFrom(DueOn, 2).AddHours(1));
        Assert.Equal("none", (await service.RiskOf(clinic, patient))!.Level);

        var overdueFrom = EngagementPatterns.HomeworkOverdueFrom(DueOn, 5);
        await service.ReevaluateRiskOfOverdueHomework(overdueFrom.AddMinutes(10));

        var risk = (await service.RiskOf(clinic, patient))!;
        Assert.Equal("low", risk.Level);
        Assert.Equal([session], Assert.Single(risk.Signals, s => s.Rule == "homeworkOverdue").SessionIds);
        var raised = Assert.Single(await service.Broker.WaitFor<EngagementRiskRaised>(e => e.ClinicId == clinic, 1));
        Assert.Equal((patient, "low", "homeworkOverdue"), (raised.PatientId, raised.RiskLevel, Assert.Single(raised.Signals)));
        Assert.Equal(1, await RiskRaisedInOutbox(clinic, patient));

        // The crossing was evaluated: a later pass neither re-evaluates nor announces it again.
        await service.ReevaluateRiskOfOverdueHomework(overdueFrom.AddHours(6));
        Assert.Equal(risk.EvaluatedAt, (await service.RiskOf(clinic, patient))!.EvaluatedAt);
        Assert.Equal(1, await RiskRaisedInOutbox(clinic, patient));
    }

    [Fact]
    public async Task Two_replicas_passing_at_once_raise_each_patients_risk_once()
    {
        var clinic = Guid.NewGuid();
        var (twoHomeworks, oneHomework) = (Guid.NewGuid(), Guid.NewGuid());
        await MissedSessionWithHomework(clinic, twoHomeworks);
        var excusedSession = Guid.NewGuid();
        await service.KnowSession(clinic, excusedSession);
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{excusedSession}/content", new
        {
            keyPoints = new[] { "Sleep hygiene basics" },
            homework = new { title = "Sleep diary", instructions = "Note bedtime and waking.", dueOn = DueOn.ToString("yyyy-MM-dd") }
        })).EnsureSuccessStatusCode();
        var notice = Notice(clinic, twoHomeworks, 3, "illness", session: excusedSession);
        await service.Broker.Publish(notice);
        await service.Consumed.WaitFor(notice.EventId, times: 2);
        await service.WaitForContinuity(clinic, twoHomeworks, v => v.Packages.Count(p => p.Items.Any(i => i.Kind == "homework")) == 2, "both homeworks assigned");
        await MissedSessionWithHomework(clinic, oneHomework);
        Assert.Equal("none", (await service.RiskOf(clinic, twoHomeworks))!.Level);

        var now = EngagementPatterns.HomeworkOverdueFrom(DueOn, new PatternSettings().HomeworkOverdueDays).AddMinutes(1);
        await Task.WhenAll(service.ReevaluateRiskOfOverdueHomework(now), service.ReevaluateRiskOfOverdueHomework(now));

        foreach (var patient in new[] { twoHomeworks, oneHomework })
        {
            Assert.Equal("low", (await service.RiskOf(clinic, patient))!.Level);
            Assert.Equal(1, await RiskRaisedInOutbox(clinic, patient));
        }
        Assert.Equal(2, Assert.Single((await service.RiskOf(clinic, twoHomeworks))!.Signals).SessionIds.Count);
        Assert.Equal(0, await HomeworkNotYetEvaluated(clinic));
    }

    async Task<int> RiskRaisedInOutbox(Guid clinic, Guid patient)
    {
        await using var db = new NpgsqlConnection(service.ConnectionString);
        return await db.ExecuteScalarAsync<int>("""
            select count(*)::int from outbox_message
            where body ->> 'clinicId' = @Clinic and body ->> 'patientId' = @Patient and message_type like '%EngagementRiskRaised'
            """, new { Clinic = clinic.ToString(), Patient = patient.ToString() });
    }

    async Task<int> HomeworkNotYetEvaluated(Guid clinic)
    {
        await using var db = new NpgsqlConnection(service.ConnectionString);
        return await db.ExecuteScalarAsync<int>("""
            select count(*)::int from continuity_item i join continuity_package p on p.id = i.package_id
            where p.clinic_id = @Clinic and i.kind = 'homework' and i.overdue_evaluated_for is null
            """, new { Clinic = clinic });
    }
}
