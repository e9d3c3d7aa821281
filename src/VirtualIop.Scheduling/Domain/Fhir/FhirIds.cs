using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace VirtualIop.Scheduling.Domain.Fhir;

/// <summary>
/// The logical id of a patient's Appointment (and Encounter) for one session: the session id and the patient id as 32
/// hex digits each. 64 characters is the longest id FHIR allows ([A-Za-z0-9\-\.]{1,64}), so both ids fit without a
/// lookup table, and the id is stable for as long as the patient is on the session.
/// </summary>
public static class FhirIds
{
    public static string Of(Guid sessionId, Guid patientId) =>
        sessionId.ToString("N", CultureInfo.InvariantCulture) + patientId.ToString("N", CultureInfo.InvariantCulture);

    public static bool TryParse(string? id, [NotNullWhen(true)] out (Guid SessionId, Guid PatientId)? parsed)
    {
        parsed = null;
        // Lower case only, so that one appointment has one id.
        if (id is not { Length: 64 } || id.Any(c => c is >= 'A' and <= 'F')) return false;
        if (!Guid.TryParseExact(id.AsSpan(0, 32), "N", out var session) || !Guid.TryParseExact(id.AsSpan(32), "N", out var patient)) return false;
        parsed = (session, patient);
        return true;
    }
}
