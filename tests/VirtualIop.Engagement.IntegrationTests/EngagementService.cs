using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Engagement;
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

    protected override void RecordEvents(ProbeSubscriptions probe) => probe.Record<FollowUpTaskCreated>();

    public async Task<IReadOnlyList<FollowUpView>> FollowUpsOf(Guid clinicId, Guid patientId) =>
        (await ClientFor(clinicId).GetFromJsonAsync<List<FollowUpView>>($"/api/engagement/follow-ups?patientId={patientId}"))!;

    public Task<IReadOnlyList<FollowUpView>> WaitForFollowUps(Guid clinicId, Guid patientId, int count) =>
        Eventually.Until(() => FollowUpsOf(clinicId, patientId), tasks => tasks.Count >= count, $"{count} follow-up task(s) for patient {patientId}");

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

/// <summary>A follow-up task as the API shows it (enums as their camelCase names).</summary>
public sealed record FollowUpView(Guid Id, Guid PatientId, Guid SessionId, string Reason, string Status, DateTimeOffset CreatedAt, DateTimeOffset DueBy);
