using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>
/// What Notification needs to remind a patient of catch-up homework, and to stop: the homework's due date on the
/// assignment, word when the homework is first marked done, and word when the package is addressed, however.
/// </summary>
[Collection(EngagementCollection.Name)]
public sealed class CatchUpEventsTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    async Task<(Guid Package, string Items)> AssignedWithHomework(Guid clinic, Guid patient, Guid session)
    {
        await service.KnowSession(clinic, session);
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{session}/content", new
        {
            keyPoints = new[] { "Values clarification" },
            homework = new { title = "Values card sort", instructions = "Sort the cards into three piles.", dueOn = "2026-12-12" }
        })).EnsureSuccessStatusCode();
        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));
        var package = (await service.WaitForContinuity(clinic, patient, v => v.Packages.Count == 1, "a package")).Packages[0];
        return (package.Id, $"/api/engagement/patients/{patient}/continuity/{package.Id}/items");
    }

    [Fact]
    public async Task The_assignment_names_the_homework_due_date_and_finishing_it_and_then_the_package_is_announced_once()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (package, items) = await AssignedWithHomework(clinic, patient, session);
        var client = service.ClientFor(clinic);

        var assigned = Assert.Single(await service.Broker.WaitFor<ContinuityAssigned>(e => e.ClinicId == clinic, 1));
        Assert.Equal((package, (DateOnly?)new DateOnly(2026, 12, 12)), (assigned.PackageId, assigned.HomeworkDueOn));

        (await client.PostAsJsonAsync($"{items}/homework", new { state = "opened" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"{items}/homework", new { state = "done" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"{items}/homework", new { state = "done" })).EnsureSuccessStatusCode();
        var done = Assert.Single(await service.Broker.WaitFor<ContinuityItemCompleted>(e => e.ClinicId == clinic, 1));
        Assert.Equal((package, patient, session, "homework"), (done.PackageId, done.PatientId, done.SessionId, done.Item));
        Assert.Empty(service.Broker.Received<ContinuityPackageAddressed>(e => e.ClinicId == clinic));

        (await client.PostAsJsonAsync($"{items}/summary", new { state = "done" })).EnsureSuccessStatusCode();

        var addressed = Assert.Single(await service.Broker.WaitFor<ContinuityPackageAddressed>(e => e.ClinicId == clinic, 1));
        Assert.Equal((package, patient, session, "completed"), (addressed.PackageId, addressed.PatientId, addressed.SessionId, addressed.How));
        Assert.Equal(2, (await service.Broker.WaitFor<ContinuityItemCompleted>(e => e.ClinicId == clinic, 2)).Count);
    }

    [Fact]
    public async Task A_waiver_and_a_correction_each_announce_the_package_addressed()
    {
        var (clinic, patient, session, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (package, _) = await AssignedWithHomework(clinic, patient, session);
        (await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/continuity/{package}/waiver",
            new { reason = "Covered in an individual session" })).EnsureSuccessStatusCode();
        var (corrected, _) = await AssignedWithHomework(clinic, other, session);

        await service.Broker.Publish(new AttendanceCorrected(Guid.CreateVersion7(), clinic, session, other, "noShow", "excusedAbsence", "illness",
            DateTimeOffset.UtcNow));

        var addressed = await service.Broker.WaitFor<ContinuityPackageAddressed>(e => e.ClinicId == clinic, 2);
        Assert.Equal([(package, "waived"), (corrected, "corrected")], addressed.Select(e => (e.PackageId, e.How)).OrderBy(e => e.How == "corrected"));
    }
}
