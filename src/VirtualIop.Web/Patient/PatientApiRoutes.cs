namespace VirtualIop.Web.Patient;

/// <summary>Every gateway route the patient pages call, in one place, so a route that moves changes here only.</summary>
public static class PatientApiRoutes
{
    public static string Sessions(Guid patient) => $"/api/scheduling/patients/{patient}/sessions";

    public static string Confirmation(Guid patient, Guid session) => $"/api/scheduling/patients/{patient}/sessions/{session}/confirmation";

    public const string AbsenceNotices = "/api/attendance/absence-notices";

    public static string Standing(Guid patient) => $"/api/attendance/patients/{patient}/standing";

    public static string Makeups(Guid patient) => $"/api/scheduling/patients/{patient}/makeups";

    public static string MakeupSlots(Guid makeup) => $"/api/scheduling/makeups/{makeup}/slots";

    public static string BookMakeup(Guid makeup) => $"/api/scheduling/makeups/{makeup}/book";

    public static string MakeupGroupSessions(Guid makeup) => $"/api/scheduling/makeups/{makeup}/group-sessions";

    public static string MakeupGroupSeat(Guid makeup) => $"/api/scheduling/makeups/{makeup}/group-seat";

    public static string MakeupRecording(Guid makeup) => $"/api/scheduling/makeups/{makeup}/recording";

    public static string Continuity(Guid patient) => $"/api/engagement/patients/{patient}/continuity";

    public static string ContinuityItem(Guid patient, Guid package, string kind) => $"/api/engagement/patients/{patient}/continuity/{package}/items/{kind}";

    public static string TechnicalHelp(Guid patient) => $"/api/notification/patients/{patient}/technical-help";

    public static string Contact(Guid patient) => $"/api/notification/patients/{patient}/contact";

    public static string OptOut(Guid patient, string channel) => $"/api/notification/patients/{patient}/contact/opt-outs/{channel}";

    public const string Token = "/connect/token";
}
