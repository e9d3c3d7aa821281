using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VirtualIop.BuildingBlocks.Http.Idempotency;

/// <summary>Documents the <c>Idempotency-Key</c> header, its replay marker and its two errors on every endpoint marked idempotent.</summary>
public static class IdempotencyOpenApi
{
    /// <summary>Runs before the error descriptions, which give the 409 and 422 added here their problem schema.</summary>
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentCreation>().Any()) return Task.CompletedTask;

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotentRetries.Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes the call safe to retry: a retry with the same key and the same request within 24 hours returns the first "
                          + "successful answer (status, body and Location) and creates nothing new. 1 to 255 printable ASCII characters, "
                          + "such as a UUID, unique per client and clinic. A refused or failed call keeps no answer, so it can be retried with its key.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotentRetries.MaxKeyLength },
            Example = System.Text.Json.Nodes.JsonValue.Create("5f0c8a52-7d0e-4d7c-9a53-2b1f2c0e9a11"),
        });
        operation.Responses ??= new OpenApiResponses();
        foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
        {
            if (response is not OpenApiResponse success) continue;
            success.Headers ??= new Dictionary<string, IOpenApiHeader>();
            success.Headers[IdempotentRetries.ReplayedHeader] = new OpenApiHeader
            {
                Description = "`true` when the answer is the stored answer of an earlier call with the same Idempotency-Key.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
        operation.Responses.TryAdd("409", new OpenApiResponse
        {
            Description = "The resource's state does not allow the change, or a call with the same Idempotency-Key is still in progress (retry after Retry-After).",
        });
        operation.Responses["422"] = new OpenApiResponse
        {
            Description = "The Idempotency-Key was already used with another request (method, path or body); `errors` names the header.",
        };
        return Task.CompletedTask;
    }
}
