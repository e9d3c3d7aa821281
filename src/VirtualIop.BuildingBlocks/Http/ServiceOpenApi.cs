using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// Each service's OpenAPI 3.1 document at <c>/openapi/v1.json</c>, written for partners: the OAuth2 client-credentials
/// scheme of the gateway, every error a call can meet as problem details, and the paging headers of listings. The
/// gateway merges the four documents into the one partners read; a service's own document is not routed to them.
/// </summary>
public static class ServiceOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The security scheme's name in every document, the gateway's included.</summary>
    public const string SecuritySchemeName = "partnerToken";

    /// <summary>Where partners get tokens: the gateway's token endpoint unless <c>OpenApi:TokenUrl</c> names an external issuer's.</summary>
    public const string DefaultTokenUrl = "/connect/token";

    public static IHostApplicationBuilder AddServiceOpenApi(this IHostApplicationBuilder builder, string scope)
    {
        var tokenUrl = builder.Configuration["OpenApi:TokenUrl"] ?? DefaultTokenUrl;
        var service = builder.Environment.ApplicationName.Split('.')[^1];
        builder.Services.AddOpenApi(options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = $"VirtualIop {service} API", Version = "v1" };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = SecurityScheme(tokenUrl, scope);
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                document.Components.Schemas[ValidationProblemSchema] = new OpenApiSchema
                {
                    AllOf = [new OpenApiSchemaReference(ProblemSchema, document)],
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["errors"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Description = "The invalid fields by name (camelCase, as sent), each with what is wrong with it.",
                            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                    Required = new HashSet<string> { "errors" },
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(Idempotency.IdempotencyOpenApi.Describe);
            options.AddOperationTransformer((operation, context, _) => DescribeErrorsAndPaging(operation, context, scope));
        });
        return builder;
    }

    /// <summary>The document, readable without a token: it is served inside the cluster only, to the gateway, and holds no data.</summary>
    public static WebApplication MapServiceOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        return app;
    }

    const string ProblemSchema = "ProblemDetails";
    const string ValidationProblemSchema = "ValidationProblemDetails";

    /// <summary>RFC 9457 problem details, as every error of every service is written.</summary>
    static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI reference naming the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong with this request." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's path." },
        },
    };

    public static OpenApiSecurityScheme SecurityScheme(string tokenUrl, params IEnumerable<string> scopes) => new()
    {
        Type = SecuritySchemeType.OAuth2,
        Description = "OAuth2 client credentials: POST grant_type=client_credentials with your client id and secret to the token URL, then send the token as 'Authorization: Bearer <token>'.",
        Flows = new OpenApiOAuthFlows
        {
            ClientCredentials = new OpenApiOAuthFlow
            {
                TokenUrl = new Uri(tokenUrl, UriKind.RelativeOrAbsolute),
                Scopes = scopes.ToDictionary(s => s, s => $"The {s} API"),
            },
        },
    };

    static Task DescribeErrorsAndPaging(OpenApiOperation operation, OpenApiOperationTransformerContext context, string scope)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
        var method = context.Description.HttpMethod ?? "GET";
        var hasRouteParameters = context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path);
        operation.Responses ??= new OpenApiResponses();

        var problem = new OpenApiSchemaReference(ProblemSchema, context.Document);
        var validation = new OpenApiSchemaReference(ValidationProblemSchema, context.Document);

        Error(operation, StatusCodes.Status400BadRequest, "The request is malformed or a field is invalid; `errors` names each field.", validation);
        if (!anonymous)
        {
            Error(operation, StatusCodes.Status401Unauthorized, "No valid partner token.", problem);
            Error(operation, StatusCodes.Status403Forbidden, $"The token lacks the '{scope}' scope or a clinic.", problem);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [scope] }];
        }
        if (hasRouteParameters)
        {
            Error(operation, StatusCodes.Status404NotFound, "No such resource in the token's clinic.", problem);
        }
        if (!HttpMethods.IsGet(method) && MayConflict(metadata))
        {
            Error(operation, StatusCodes.Status409Conflict, "The resource's state does not allow the change.", problem);
        }
        Error(operation, StatusCodes.Status429TooManyRequests, "The client's rate limit at the gateway is spent; retry after the Retry-After header's seconds.", problem);

        foreach (var (status, response) in operation.Responses.Where(r => r.Key.Length == 3 && r.Key[0] is '4' or '5').ToList())
        {
            if (response is OpenApiResponse concrete)
            {
                concrete.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = status is "400" or "422" ? validation : problem },
                };
            }
        }

        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Query && p.Name == "cursor") == true
            && operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse page)
        {
            page.Headers ??= new Dictionary<string, IOpenApiHeader>();
            page.Headers["Link"] = new OpenApiHeader
            {
                Description = "`<url>; rel=\"next\"` when another page follows: the same listing with the next cursor.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            page.Headers["X-Next-Cursor"] = new OpenApiHeader
            {
                Description = "The cursor of the next page when another page follows; absent on the last page.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
        return Task.CompletedTask;
    }

    static void Error(OpenApiOperation operation, int status, string description, IOpenApiSchema schema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key)) return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
        };
    }

    /// <summary>
    /// A write whose handler can answer a bare problem (the services use <see cref="ProblemHttpResult"/> for 409s: a state
    /// that refuses the change) or a <see cref="Conflict"/>. Read from the handler's declared result types, so the document
    /// follows the code without a marker on each endpoint.
    /// </summary>
    static bool MayConflict(IList<object> metadata) =>
        metadata.OfType<MethodInfo>().FirstOrDefault() is { } handler && ResultTypes(handler.ReturnType).Any(t =>
            t == typeof(ProblemHttpResult) || t == typeof(Conflict) || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Conflict<>)));

    static IEnumerable<Type> ResultTypes(Type type)
    {
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            return ResultTypes(type.GetGenericArguments()[0]);
        return type.IsGenericType && type.GetGenericTypeDefinition().FullName?.StartsWith("Microsoft.AspNetCore.Http.HttpResults.Results`", StringComparison.Ordinal) == true
            ? type.GetGenericArguments()
            : [type];
    }
}
