using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class EngagementCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "Engagement with PostgreSQL and RabbitMQ";
}

/// <summary>
/// The real Engagement service in memory, on its own database and virtual host, with a probe bus standing in
/// for the services around it.
/// </summary>
public sealed class EngagementService(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : ServiceUnderTest<Program>(postgres, rabbitMq, "engagement", PartnerScopes.Engagement)
{
    /// <summary>The consumer's queue, named by the building blocks' kebab-case formatter with the service prefix.</summary>
    public const string ConsumerQueue = "engagement-open-follow-up-on-miss";

    protected override void Configure(IWebHostBuilder host) => host.UseSetting("Messaging:RetryLimit", "1");

    protected override void RecordEvents(ProbeSubscriptions probe) => probe.Record<FollowUpTaskCreated>().Record<ContinuityAssigned>().Record<EngagementRiskRaised>()
        .Record<ConsentGranted>().Record<ConsentRevoked>().Record<PlanAdjusted>().Record<ContinuityItemCompleted>().Record<ContinuityPackageAddressed>()
        .Record<SafetyCheckOpened>().Record<SafetyCheckAcknowledged>();

    public async Task<IReadOnlyList<FollowUpView>> FollowUpsOf(Guid clinicId, Guid patientId) =>
        (await ClientFor(clinicId).GetFromJsonAsync<List<FollowUpView>>($"/api/engagement/follow-ups?patientId={patientId}"))!;

    public Task<IReadOnlyList<FollowUpView>> WaitForFollowUps(Guid clinicId, Guid patientId, int count) =>
        Eventually.Until(() => FollowUpsOf(clinicId, patientId), tasks => tasks.Count >= count, $"{count} follow-up task(s) for patient {patientId}");

    public async Task<ContinuityView> ContinuityOf(Guid clinicId, Guid patientId, bool outstanding = false) =>
        (await ClientFor(clinicId).GetFromJsonAsync<ContinuityView>($"/api/engagement/patients/{patientId}/continuity?outstanding={outstanding}"))!;

    public Task<ContinuityView> WaitForContinuity(Guid clinicId, Guid patientId, Func<ContinuityView, bool> done, string what) =>
        Eventually.Until(() => ContinuityOf(clinicId, patientId), done, what);

    /// <summary>Scheduling put the session on the schedule (no patients listed); returns once Engagement has taken it in.</summary>
    public async Task KnowSession(Guid clinicId, Guid sessionId)
    {
        var startsAt = DateTimeOffset.UtcNow.AddHours(-3);
        var scheduled = new SessionScheduled(Guid.CreateVersion7(), clinicId, sessionId, "groupTherapy", startsAt, startsAt.AddMinutes(90), "UTC", []);
        await Broker.Publish(scheduled);
        await Consumed.WaitFor(scheduled.EventId, times: 1);
    }

    /// <summary>Scheduling created a program; returns once Engagement has taken the event in.</summary>
    public async Task<ProgramCreated> CreateProgram(Guid clinicId, Guid programId)
    {
        var created = new ProgramCreated(Guid.CreateVersion7(), clinicId, programId, DateTimeOffset.UtcNow);
        await Broker.Publish(created);
        await Consumed.WaitFor(created.EventId, times: 1);
        return created;
    }

    /// <summary>The service's own database, for reads a user would see only through other services.</summary>
    public string ConnectionString => DatabaseConnectionString;

    /// <summary>One pass of the consent-expiry worker, at a time the test chooses.</summary>
    public Task<int> CancelFamilyTasksOfExpiredConsents(DateTimeOffset now) =>
        Services.GetRequiredService<VirtualIop.Engagement.Workers.FamilyTasksOfExpiredConsents>().RunOnce(now, CancellationToken.None);

    /// <summary>One pass of the overdue-homework worker, at a time the test chooses.</summary>
    public Task<int> ReevaluateRiskOfOverdueHomework(DateTimeOffset now) =>
        Services.GetRequiredService<VirtualIop.Engagement.Workers.RiskOfOverdueHomework>().RunOnce(now, CancellationToken.None);

    public async Task<RiskView?> RiskOf(Guid clinicId, Guid patientId)
    {
        var response = await ClientFor(clinicId).GetAsync($"/api/engagement/patients/{patientId}/risk");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RiskView>();
    }

    public async Task<RiskView> WaitForRisk(Guid clinicId, Guid patientId, Func<RiskView, bool> done, string what) =>
        (await Eventually.Until(() => RiskOf(clinicId, patientId), r => r is not null && done(r), what))!;

    /// <summary>Rows of one of the service's tables for a clinic, read straight from its own database.</summary>
    public async Task<int> Count(string table, Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<int>($"select count(*)::int from {table} where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    /// <summary>The audit trail of reads of one patient's data: (client, resource) in the order they happened.</summary>
    public async Task<IReadOnlyList<(string Client, string Resource)>> ReadsOf(Guid clinicId, Guid patientId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return (await db.QueryAsync<(string, string)>(
            "select client_id, resource from audit_log where clinic_id = @Clinic and patient_id = @Patient and action = 'read' order by occurred_at, id",
            new { Clinic = clinicId, Patient = patientId })).AsList();
    }

    /// <summary>Tasks and outgoing events the service holds for a clinic, read straight from its own database.</summary>
    public async Task<(int Tasks, int Events)> RowsFor(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.QuerySingleAsync<(int, int)>("""
            select (select count(*) from follow_up_task where clinic_id = @Clinic)::int,
                   (select count(*) from outbox_message where body ->> 'clinicId' = @ClinicText)::int
            """, new { Clinic = clinicId, ClinicText = clinicId.ToString() });
    }
}

/// <summary>A patient's missed content as the API shows it.</summary>
public sealed record ContinuityView(Guid PatientId, bool CatchUpRequired, List<PackageView> Packages);

public sealed record PackageView(Guid Id, Guid PatientId, Guid SessionId, string Cause, string Status, DateTimeOffset? AssignedAt,
    string? AddressedHow, string? WaiverReason, ContentView? Content, List<ItemView> Items);

public sealed record ContentView(Guid SessionId, List<string> KeyPoints, HomeworkView? Homework, string? RecordingUrl, string? PeerSupportUrl, List<string> Items);

public sealed record HomeworkView(string Title, string Instructions, DateOnly DueOn);

public sealed record ItemView(string Kind, DateTimeOffset? OpenedAt, DateTimeOffset? DoneAt);

public sealed record RiskView(Guid PatientId, string Level, List<SignalView> Signals, DateTimeOffset EvaluatedAt);

public sealed record SignalView(string Rule, string Level, string Explanation, List<Guid> SessionIds);

/// <summary>A follow-up task as the API shows it (enums as their camelCase names).</summary>
public sealed record FollowUpView(Guid Id, Guid PatientId, Guid SessionId, string Reason, string Status, DateTimeOffset CreatedAt, DateTimeOffset DueBy);
