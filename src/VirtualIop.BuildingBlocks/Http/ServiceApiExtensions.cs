using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http.Idempotency;

namespace VirtualIop.BuildingBlocks.Http;

public static class ServiceApiExtensions
{
    /// <summary>
    /// What every service's HTTP surface shares: partner-token authentication for its scope, RFC 9457
    /// problem details for every error, enums as strings on the wire, the patient-data audit log, Idempotency-Key
    /// replays of creating POSTs, and the OpenAPI document that describes it.
    /// </summary>
    public static IHostApplicationBuilder AddServiceApi(this IHostApplicationBuilder builder, string requiredScope)
    {
        builder.AddPartnerAuthentication(requiredScope);
        builder.AddServiceOpenApi(requiredScope);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddPatientAudit();
        builder.Services.AddIdempotentRetries();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.Converters.Add(new NulFreeStringConverter());
        });
        return builder;
    }

    /// <summary>
    /// Turns exceptions and bare status codes (401, 403, 404, 429) into problem details. Authentication and
    /// authorization are placed after it explicitly; left to the host, they would run first and their
    /// 401s would bypass it. Every request is held to the <see cref="RequestBounds"/> first; an endpoint marked
    /// <see cref="IdempotentRetries.Idempotent{TBuilder}"/> honours its Idempotency-Key once the token is known.
    /// </summary>
    public static WebApplication UseProblemDetailsForErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBounds();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseIdempotentRetries();
        return app;
    }
}
