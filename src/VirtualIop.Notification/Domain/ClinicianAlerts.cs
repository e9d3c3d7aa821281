namespace VirtualIop.Notification.Domain;

/// <summary>
/// What a clinician alert says happened, from its topic code: "attendanceWarning:rule:current:limit",
/// "policyBreached:rule:current:limit" or "engagementRisk:level:signal,signal". For the clinician's email only.
/// </summary>
public static class ClinicianAlerts
{
    public static string Describe(string? topic, Language language)
    {
        var parts = (topic ?? "").Split(':');
        var es = language == Language.Es;
        return parts switch
        {
            ["attendanceWarning", var rule, var current, var limit] => es
                ? $"Asistencia: el paciente está a un paso de un límite de la política de asistencia del programa ({rule}: {current}, límite {limit}). Le hemos enviado un mensaje de apoyo."
                : $"Attendance: the patient is one step from a limit of the program's attendance policy ({rule}: {current}, limit {limit}). We sent them a supportive message.",
            ["policyBreached", var rule, var current, var limit] => es
                ? $"Asistencia: el paciente ha superado un límite de la política de asistencia del programa ({rule}: {current}, límite {limit}). Le hemos enviado un mensaje de apoyo."
                : $"Attendance: the patient has gone past a limit of the program's attendance policy ({rule}: {current}, limit {limit}). We sent them a supportive message.",
            ["engagementRisk", var level, var signals] => es
                ? $"Compromiso: el riesgo del paciente ha subido a {level} (señales: {Signals(signals)})."
                : $"Engagement: the patient's risk rose to {level} (signals: {Signals(signals)}).",
            ["safetyCheck", _] => es
                ? "Seguridad: la ausencia de un paciente se ha comunicado como una emergencia. Compruebe cómo está lo antes posible."
                : "Safety: a patient's absence was reported as an emergency. Please check on them as soon as you can.",
            ["safetyEscalation", _] => es
                ? "Seguridad: nadie ha confirmado a tiempo la comprobación de seguridad de un paciente. Como contacto de guardia del programa, compruebe cómo está."
                : "Safety: a patient's safety check was not acknowledged in time. As the program's on-call contact, please check on them.",
            _ => es ? "Un paciente puede necesitar su seguimiento." : "A patient may need your follow-up."
        };
    }

    static string Signals(string signals) => signals.Length == 0 ? "-" : string.Join(", ", signals.Split(','));
}
