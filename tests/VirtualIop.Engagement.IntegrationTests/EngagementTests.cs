using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>
/// What every Engagement test class shares: one service per class (an xUnit class fixture, on its own database and
/// virtual host) and the events and requests the tests build their scenes from. Each test makes its own clinic and
/// patients and reads back only those, so the tests of a class stay independent. Derived classes carry
/// [Collection(EngagementCollection.Name)].
/// </summary>
public abstract class EngagementTests(EngagementService service, RabbitMqBroker rabbitMq) : IClassFixture<EngagementService>
{
    protected readonly EngagementService service = service;

    /// <summary>The broker itself, for what only its management API can tell (queue depths).</summary>
    protected RabbitMqBroker RabbitMq { get; } = rabbitMq;

    /// <summary>A no-show for a session that started <paramref name="daysAgo"/> days ago, detected two hours after its start.</summary>
    protected static SessionMissed Missed(Guid clinic, Guid patient, double daysAgo, Guid? session = null, string zone = "UTC")
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        return new SessionMissed(Guid.CreateVersion7(), clinic, session ?? Guid.NewGuid(), patient, startsAt, zone, startsAt.AddHours(2));
    }

    /// <summary>An absence notice for a session that started <paramref name="daysAgo"/> days ago, given three hours before it.</summary>
    protected static AbsenceNotified Notice(Guid clinic, Guid patient, double daysAgo, string reason, bool excused = true, Guid? session = null)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        return new AbsenceNotified(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session ?? Guid.NewGuid(), patient, reason, excused, startsAt, "UTC", startsAt.AddHours(-3));
    }

    /// <summary>A patient the clinic knows: Engagement has heard of them through a missed session (which opened its outreach).</summary>
    protected async Task<Guid> KnownPatient(Guid clinic)
    {
        var patient = Guid.NewGuid();
        await service.Broker.Publish(Missed(clinic, patient, 0.1));
        await service.WaitForFollowUps(clinic, patient, 1);
        return patient;
    }

    /// <summary>Scheduling put a group session of a program's cohort on the schedule for these patients.</summary>
    protected static SessionScheduled Scheduled(Guid clinic, Guid? program, Guid? cohort, Guid? clinician, double daysAgo, params Guid[] patients)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        return new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddMinutes(90), "UTC", patients,
            program, cohort, null, clinician);
    }

    protected static Dictionary<string, object?> ConsentBody(string scope = "attendanceOnly") => new()
    {
        ["recipientName"] = "Alex Rivera",
        ["recipientContact"] = "alex.rivera@example.org",
        ["recipientKind"] = "family",
        ["purpose"] = "Keep my partner informed about whether I attend, so they can support me.",
        ["scope"] = scope,
        ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(90),
        ["signedOn"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd")
    };

    protected async Task<Guid> GrantConsent(Guid clinic, Guid patient, string scope)
    {
        var response = await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/consents", ConsentBody(scope));
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    sealed record IdOnly(Guid Id);
}
