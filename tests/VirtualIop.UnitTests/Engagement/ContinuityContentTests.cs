using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class ContinuityContentTests
{
    static readonly Homework Log = new("Urge log", "Write down each urge.", new DateOnly(2026, 12, 10));

    [Fact]
    public void A_session_with_only_key_points_asks_the_patient_to_read_the_summary()
    {
        var content = new SessionContent(["Name the urge"], null, null, null);

        Assert.Equal([ContinuityItemKind.Summary], content.Items());
    }

    [Fact]
    public void Homework_and_each_resource_the_facilitator_gave_become_items_of_their_own()
    {
        var content = new SessionContent(["Name the urge"], Log, new Uri("https://media.example.org/m1"), new Uri("https://forum.example.org/g"));

        Assert.Equal([ContinuityItemKind.Summary, ContinuityItemKind.Homework, ContinuityItemKind.Recording, ContinuityItemKind.PeerSupport], content.Items());
    }

    [Fact]
    public void A_package_waits_for_content_is_assigned_once_it_exists_and_addressed_whatever_came_first()
    {
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(ContinuityPackageStatus.AwaitingContent, ContinuityPackageState.Of(null, null));
        Assert.Equal(ContinuityPackageStatus.Assigned, ContinuityPackageState.Of(now, null));
        Assert.Equal(ContinuityPackageStatus.Addressed, ContinuityPackageState.Of(now, now));
        Assert.Equal(ContinuityPackageStatus.Addressed, ContinuityPackageState.Of(null, now)); // made up before content existed
    }
}
