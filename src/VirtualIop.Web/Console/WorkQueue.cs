namespace VirtualIop.Web.StaffConsole;

/// <summary>The work queue as the console shows it: highest risk first, then the earliest due, then by id.</summary>
public static class WorkQueue
{
    static readonly string[] RiskOrder = ["high", "moderate", "low", "none"];

    public static int RiskRank(string level) => Array.IndexOf(RiskOrder, level) is var i and >= 0 ? i : RiskOrder.Length;

    public static IReadOnlyList<WorkQueueEntry> Order(IEnumerable<WorkQueueEntry> entries) =>
        entries.OrderBy(e => RiskRank(e.RiskLevel)).ThenBy(e => e.Task.DueBy).ThenBy(e => e.Task.Id).ToList();

    /// <summary>Why the patient is at this risk: the explanation of each signal at the patient's level, highest level first.</summary>
    public static IReadOnlyList<string> Explain(PatientRisk? risk) =>
        risk is null ? [] : risk.Signals.OrderBy(s => RiskRank(s.Level)).Select(s => s.Explanation).Distinct().ToList();

    /// <summary>The moves a task in this status allows: start working on an open one, close (done or cancelled) an active one.</summary>
    public static IReadOnlyList<string> NextStatuses(string status) => status switch
    {
        "open" => ["inProgress", "done", "cancelled"],
        "inProgress" => ["done", "cancelled"],
        _ => []
    };
}
