using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace VirtualIop.Scheduling.Apis;

/// <summary>A FHIR resource as <c>application/fhir+json</c>, written by Firely's serializer (FHIR's JSON rules, not the service's).</summary>
public sealed class FhirResult(Resource resource, int statusCode = StatusCodes.Status200OK) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "application/fhir+json";

    static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public int? StatusCode => statusCode;

    public string ContentType => $"{MediaType}; charset=utf-8";

    public System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(Serializer.SerializeToString(resource), httpContext.RequestAborted);
    }
}
