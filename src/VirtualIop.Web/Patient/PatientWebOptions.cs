namespace VirtualIop.Web.Patient;

/// <summary>The patient pages' settings (section <c>Web</c>, beside <see cref="WebOptions"/>).</summary>
public sealed class PatientWebOptions
{
    /// <summary>The client this app redeems personal links as, at the gateway's token endpoint.</summary>
    public string ClientId { get; set; } = "virtualiop-web";

    /// <summary>That client's secret (client_secret_post). Required to redeem links.</summary>
    public string? ClientSecret { get; set; }
}
