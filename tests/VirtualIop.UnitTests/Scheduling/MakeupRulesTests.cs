using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class MakeupRulesTests
{
    static readonly MakeupSettings Everything = MakeupSettings.Default;

    [Fact]
    public void A_missed_educational_module_can_be_made_up_in_all_three_ways()
    {
        Assert.Equal([MakeupKind.OneOnOne, MakeupKind.ExtraGroupSlot, MakeupKind.Recording],
            Everything.KindsFor(SessionKind.EducationalModule, hasCohortTopic: true));
    }

    [Fact]
    public void A_missed_group_session_has_no_recording_and_a_one_off_session_no_seat_elsewhere()
    {
        Assert.Equal([MakeupKind.OneOnOne, MakeupKind.ExtraGroupSlot], Everything.KindsFor(SessionKind.GroupTherapy, hasCohortTopic: true));
        Assert.Equal([MakeupKind.OneOnOne], Everything.KindsFor(SessionKind.IndividualTherapy, hasCohortTopic: false));
    }

    [Fact]
    public void A_program_offers_only_the_kinds_it_allows_and_a_missed_makeup_is_not_made_up_again()
    {
        var recordingsOnly = Everything with { AllowedKinds = [MakeupKind.Recording] };

        Assert.Empty(recordingsOnly.KindsFor(SessionKind.GroupTherapy, hasCohortTopic: true));
        Assert.Equal([MakeupKind.Recording], recordingsOnly.KindsFor(SessionKind.EducationalModule, hasCohortTopic: true));
        Assert.Empty(Everything.KindsFor(SessionKind.Makeup, hasCohortTopic: true));
    }

    [Theory]
    [InlineData(143, false)]
    [InlineData(144, true)]
    [InlineData(180, true)]
    public void A_recording_counts_as_watched_from_the_programs_share_of_its_length(int minutes, bool watched)
    {
        Assert.Equal(watched, Everything.RecordingWatched(minutes, recordingMinutes: 180));
    }

    [Theory]
    [InlineData(0, 14, 50, 0.8, "expiryDays")]
    [InlineData(61, 14, 50, 0.8, "expiryDays")]
    [InlineData(7, 0, 50, 0.8, "searchWindowDays")]
    [InlineData(7, 14, 10, 0.8, "oneOnOneMinutes")]
    [InlineData(7, 14, 50, 0.05, "recordingCompletionShare")]
    [InlineData(7, 14, 50, 1.01, "recordingCompletionShare")]
    public void Settings_out_of_bounds_are_refused_naming_the_field(int expiry, int window, int minutes, double share, string field)
    {
        var ok = MakeupSettings.TryCreate(new MakeupSettingsProposal([MakeupKind.OneOnOne], expiry, window, minutes, (decimal)share), out _, out var errors);

        Assert.False(ok);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void Settings_need_at_least_one_kind_each_once()
    {
        Assert.False(MakeupSettings.TryCreate(new MakeupSettingsProposal([], 7, 14, 50, 0.8m), out _, out var none));
        Assert.False(MakeupSettings.TryCreate(new MakeupSettingsProposal([MakeupKind.Recording, MakeupKind.Recording], 7, 14, 50, 0.8m), out _, out var twice));
        Assert.Equal("allowedKinds", Assert.Single(none).Field);
        Assert.Equal("allowedKinds", Assert.Single(twice).Field);
        Assert.True(MakeupSettings.TryCreate(new MakeupSettingsProposal([MakeupKind.Recording], 1, 60, 15, 1m), out _, out _));
    }
}
