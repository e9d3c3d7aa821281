using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>How a missed session can be made up.</summary>
public enum MakeupKind
{
    /// <summary>A one-on-one catch-up with the cohort's facilitator or another clinician of the program.</summary>
    OneOnOne,

    /// <summary>A seat in another cohort's session on the same topic.</summary>
    ExtraGroupSlot,

    /// <summary>The recording of an educational module.</summary>
    Recording
}

public static class MakeupKinds
{
    /// <summary>The kind as it appears on the wire and in events: "oneOnOne", "extraGroupSlot", "recording".</summary>
    public static string Name(this MakeupKind kind) => WireName.Of(kind);

    public static MakeupKind Parse(string name) => Enum.Parse<MakeupKind>(name, ignoreCase: true);
}

public sealed record MakeupSettingsProposal(
    IReadOnlyList<MakeupKind>? AllowedKinds, int? ExpiryDays, int? SearchWindowDays, int? OneOnOneMinutes, decimal? RecordingCompletionShare);

/// <summary>
/// A program's makeup settings: which kinds it offers, how long an offer stays open, how far ahead the search for a
/// slot or a seat looks, how long a one-on-one catch-up lasts, and which share of a recording counts as watched.
/// </summary>
public sealed record MakeupSettings(
    IReadOnlyList<MakeupKind> AllowedKinds, int ExpiryDays, int SearchWindowDays, int OneOnOneMinutes, decimal RecordingCompletionShare)
{
    public const int MaxDays = 60;

    /// <summary>What a program that has not chosen gets: every kind, a week to take it up, two weeks of search, 50 minutes, 80 %.</summary>
    public static readonly MakeupSettings Default = new([MakeupKind.OneOnOne, MakeupKind.ExtraGroupSlot, MakeupKind.Recording], 7, 14, 50, 0.8m);

    public static bool TryCreate(MakeupSettingsProposal proposal, [NotNullWhen(true)] out MakeupSettings? settings, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (proposal.AllowedKinds is not { Count: > 0 } kinds) found.Add(new("allowedKinds", "Name at least one makeup kind: oneOnOne, extraGroupSlot or recording."));
        else if (kinds.Count > Enum.GetValues<MakeupKind>().Length || kinds.Distinct().Count() != kinds.Count) found.Add(new("allowedKinds", "Each kind can be listed only once."));

        if (proposal.ExpiryDays is not { } expiry || expiry is < 1 or > MaxDays)
            found.Add(new("expiryDays", $"An offer stays open 1 to {MaxDays} days."));
        if (proposal.SearchWindowDays is not { } window || window is < 1 or > MaxDays)
            found.Add(new("searchWindowDays", $"The search window is 1 to {MaxDays} days."));
        if (proposal.OneOnOneMinutes is not { } minutes || minutes is < 15 or > 180)
            found.Add(new("oneOnOneMinutes", "A one-on-one makeup lasts 15 to 180 minutes."));
        if (proposal.RecordingCompletionShare is not { } share || share is < 0.1m or > 1m)
            found.Add(new("recordingCompletionShare", "The share of a recording that counts as watched is 0.1 to 1."));

        errors = found;
        settings = found.Count == 0
            ? new MakeupSettings(proposal.AllowedKinds!, proposal.ExpiryDays!.Value, proposal.SearchWindowDays!.Value,
                proposal.OneOnOneMinutes!.Value, proposal.RecordingCompletionShare!.Value)
            : null;
        return settings is not null;
    }

    /// <summary>
    /// The kinds offered for a missed session: those the program allows that fit the session. A recording exists only for
    /// an educational module, and a seat elsewhere only for a cohort session with a curriculum topic. A missed makeup
    /// session is not made up again: the clinician follows up instead.
    /// </summary>
    public IReadOnlyList<MakeupKind> KindsFor(SessionKind missedKind, bool hasCohortTopic) => missedKind == SessionKind.Makeup
        ? []
        : AllowedKinds.Where(kind => kind switch
        {
            MakeupKind.Recording => missedKind == SessionKind.EducationalModule,
            MakeupKind.ExtraGroupSlot => hasCohortTopic,
            _ => true
        }).Order().ToList();

    /// <summary>A recording counts as watched once the minutes watched reach the share of its length.</summary>
    public bool RecordingWatched(int minutesWatched, int recordingMinutes) => minutesWatched >= RecordingCompletionShare * recordingMinutes;
}

/// <summary>Why a makeup step did not happen; each maps to one ProblemDetails answer.</summary>
public enum MakeupRefusal
{
    NotFound,
    KindNotOffered,
    NotOpen,
    Expired,
    SlotUnavailable,
    SlotTaken,
    SessionNotEligible,
    NoRecording
}
