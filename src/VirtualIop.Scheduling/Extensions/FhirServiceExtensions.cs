using VirtualIop.Scheduling.Data;

namespace VirtualIop.Scheduling.Extensions;

/// <summary>The FHIR R4 views (Scheduling:Fhir).</summary>
public sealed class FhirOptions
{
    public const string SectionName = "Scheduling:Fhir";

    /// <summary>
    /// The public base of the FHIR views' links (the gateway's address, such as https://api.virtualiop.example); without
    /// it, Bundle links and fullUrls are built from the request, which behind the gateway is the service's internal address.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}

public static class FhirServiceExtensions
{
    /// <summary>The FHIR views' reads and the copy of Attendance's outcomes they show (its consumer is on the service's bus).</summary>
    public static IHostApplicationBuilder AddFhirViews(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FhirOptions>()
            .Bind(builder.Configuration.GetSection(FhirOptions.SectionName))
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || Uri.IsWellFormedUriString(o.PublicBaseUrl, UriKind.Absolute),
                "Scheduling:Fhir:PublicBaseUrl must be an absolute URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton<FhirReads>();
        builder.Services.AddSingleton<AttendanceOutcomes>();
        return builder;
    }
}
