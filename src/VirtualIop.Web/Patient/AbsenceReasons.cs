namespace VirtualIop.Web.Patient;

/// <summary>The absence taxonomy as the form offers it: a short name (input value, test hook) and the API's reason category.</summary>
public static class AbsenceReasons
{
    public static readonly IReadOnlyList<(string Short, string Category)> All =
    [
        ("technical", "technicalDifficulty"),
        ("scheduling", "schedulingConflict"),
        ("illness", "illness"),
        ("emergency", "emergency"),
        ("motivation", "lowMotivation"),
        ("other", "other")
    ];

    /// <summary>The API's category for a short name, or null for anything not in the taxonomy.</summary>
    public static string? Category(string? shortName) => All.FirstOrDefault(r => r.Short == shortName).Category;
}
