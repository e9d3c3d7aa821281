using Microsoft.AspNetCore.Builder;

namespace VirtualIop.BuildingBlocks.Audit;

/// <summary>
/// Endpoint metadata: the endpoint returns or changes patient data, and its audit rows name <see cref="Resource"/>
/// (a stable name such as <c>attendance.timeline</c>). Tests enumerate the endpoints carrying it.
/// </summary>
public sealed record AuditedPatientData(string Resource);

public static class AuditedPatientDataExtensions
{
    /// <summary>Marks the endpoint as one that reads or changes patient data, audited under <paramref name="resource"/>.</summary>
    public static TBuilder AuditsPatientData<TBuilder>(this TBuilder builder, string resource) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedPatientData(resource));
}
