using Microsoft.IdentityModel.JsonWebTokens;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Web.Patient;

/// <summary>Who a patient-scoped access token names and until when it is good.</summary>
public sealed record PatientToken(Guid PatientId, Guid ClinicId, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Reads the claims of a token this app just received from the gateway's token endpoint over its own connection. The
    /// signature is not checked here: the gateway and every service check it on each call the token is sent with, and
    /// the claims only choose which of the patient's own routes to call. Null for anything but a patient token.
    /// </summary>
    public static PatientToken? Read(string accessToken)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(accessToken)) return null;
        JsonWebToken jwt;
        try
        {
            jwt = handler.ReadJsonWebToken(accessToken);
        }
        catch (ArgumentException)
        {
            // Three dot-separated parts that are not base64url JSON.
            return null;
        }
        return jwt.TryGetPayloadValue<string>(PartnerClaims.PatientId, out var patient) && Guid.TryParse(patient, out var patientId) && patientId != Guid.Empty
            && jwt.TryGetPayloadValue<string>(PartnerClaims.ClinicId, out var clinic) && Guid.TryParse(clinic, out var clinicId) && clinicId != Guid.Empty
            && jwt.ValidTo != DateTime.MinValue
            ? new PatientToken(patientId, clinicId, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero))
            : null;
    }
}
