using System.Net;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class RiskTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public async Task Misses_in_a_row_raise_the_risk_step_by_step_with_the_sessions_that_explain_it()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var first = Missed(clinic, patient, 5);
        var second = Missed(clinic, patient, 3);
        var third = Missed(clinic, patient, 1);

        await service.Broker.Publish(first);
        await service.WaitForRisk(clinic, patient, r => r.Level == "none", "the first miss evaluated");
        await service.Broker.Publish(second);
        var moderate = await service.WaitForRisk(clinic, patient, r => r.Level == "moderate", "moderate risk after two misses in a row");
        var signal = Assert.Single(moderate.Signals, s => s.Rule == "consecutiveMisses");
        Assert.Equal([first.SessionId, second.SessionId], signal.SessionIds);
        Assert.Contains("2 sessions missed in a row", signal.Explanation);

        await service.Broker.Publish(third);
        await service.Broker.Publish(third);
        await service.WaitForRisk(clinic, patient, r => r.Level == "high", "high risk after three misses in a row");
        await service.Consumed.WaitFor(third.EventId, times: 6); // three consumers of SessionMissed, each twice

        var raised = await service.Broker.WaitFor<EngagementRiskRaised>(e => e.ClinicId == clinic, 2);
        // The relay publishes a batch concurrently, so arrival order on the broker is not the order raised.
        Assert.Equal(["high", "moderate"], raised.Select(e => e.RiskLevel).Order());
        Assert.All(raised, e => Assert.Equal(patient, e.PatientId));
        Assert.Contains("consecutiveMisses", raised.Single(e => e.RiskLevel == "high").Signals);
        Assert.Equal(2, await OutboxCount(clinic, "EngagementRiskRaised"));
    }

    [Fact]
    public async Task A_no_show_corrected_to_present_lowers_the_risk_again_without_announcing_anything()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var first = Missed(clinic, patient, 3);
        await service.Broker.Publish(first);
        await service.Broker.Publish(Missed(clinic, patient, 1));
        await service.WaitForRisk(clinic, patient, r => r.Level == "moderate", "moderate risk");

        await service.Broker.Publish(new AttendanceCorrected(Guid.CreateVersion7(), clinic, first.SessionId, patient, "noShow", "present", null, DateTimeOffset.UtcNow));

        var lowered = await service.WaitForRisk(clinic, patient, r => r.Level == "none", "the risk lowered by the correction");
        Assert.Empty(lowered.Signals);
        Assert.Equal(1, await OutboxCount(clinic, "EngagementRiskRaised"));
    }

    [Fact]
    public async Task A_late_check_in_outranks_the_no_show_whatever_order_they_arrive_in()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var earlier = Missed(clinic, patient, 3);
        var late = Missed(clinic, patient, 1);
        await service.Broker.Publish(earlier);
        await service.Broker.Publish(new SessionAttended(Guid.CreateVersion7(), clinic, late.SessionId, patient, late.SessionStartsAt.AddMinutes(40)));
        await service.WaitForRisk(clinic, patient, r => r.Level == "none", "the check-in evaluated");

        await service.Broker.Publish(late);
        await service.Consumed.WaitFor(late.EventId, times: 3);

        Assert.Equal("none", (await service.RiskOf(clinic, patient))!.Level);
    }

    [Fact]
    public async Task Repeated_technical_difficulties_raise_a_low_risk_that_calls_for_technical_support()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Notice(clinic, patient, 4, "technicalDifficulty"));
        await service.Broker.Publish(Notice(clinic, patient, 2, "technicalDifficulty"));

        var risk = await service.WaitForRisk(clinic, patient, r => r.Level == "low", "low risk from technical difficulties");

        Assert.Contains("technical support", Assert.Single(risk.Signals, s => s.Rule == "technicalDifficulties").Explanation);
        var raised = Assert.Single(await service.Broker.WaitFor<EngagementRiskRaised>(e => e.ClinicId == clinic, 1));
        Assert.Equal(("low", "technicalDifficulties"), (raised.RiskLevel, Assert.Single(raised.Signals)));
    }

    [Fact]
    public async Task Another_clinic_cannot_read_a_patients_risk()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Missed(clinic, patient, 1));
        await service.WaitForRisk(clinic, patient, _ => true, "the miss evaluated");

        Assert.Null(await service.RiskOf(Guid.NewGuid(), patient));
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync($"/api/engagement/patients/{patient}/risk")).StatusCode);
        Assert.Contains(("test-client", "engagement.risk"), await service.ReadsOf(clinic, patient));
    }

    async Task<int> OutboxCount(Guid clinic, string eventName)
    {
        await using var db = new Npgsql.NpgsqlConnection(service.ConnectionString);
        return await Dapper.SqlMapper.ExecuteScalarAsync<int>(db,
            "select count(*)::int from outbox_message where body ->> 'clinicId' = @Clinic and message_type like '%' || @Name",
            new { Clinic = clinic.ToString(), Name = eventName });
    }
}
