using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Gateway.Apis;

/// <summary>The partner API's OpenAPI document and its interactive reference, both readable without a token.</summary>
public static class ApiDocsApi
{
    public const string DocsPath = "/docs";

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapGet(ServiceOpenApi.DocumentPath, GetDocument).AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(DocsPath, scalar => scalar
                .WithTitle("VirtualIop partner API")
                .WithOpenApiRoutePattern(ServiceOpenApi.DocumentPath)
                .AddPreferredSecuritySchemes(ServiceOpenApi.SecuritySchemeName))
            .AllowAnonymous();
        return app;
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetDocument(ApiDocuments documents, IConfiguration configuration, CancellationToken ct)
    {
        var tokenUrl = configuration["OpenApi:TokenUrl"] ?? ServiceOpenApi.DefaultTokenUrl;
        var (document, missing) = await documents.Merged(tokenUrl, ct);
        return document is not null
            ? TypedResults.Content(document.ToJsonString(), "application/json")
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "API description unavailable",
                detail: $"No OpenAPI document could be had from: {string.Join(", ", missing)}. Try again shortly.");
    }
}
