using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Shared by every service: telemetry, health, service discovery and resilient HttpClients.
public static class Extensions
{
    const string HealthEndpointPath = "/health";
    const string AlivenessEndpointPath = "/alive";

    // MassTransit and Npgsql publish their own ActivitySources; naming them here is what
    // lets one trace run from the gateway through the broker to the consumer and its SQL.
    static readonly string[] ExtraTraceSources = ["MassTransit", "Npgsql", "VirtualIop.*"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddProblemDetails();
        return builder;
    }

    // Categories whose Information and Debug lines print a request's URL or path (hosting's "Request starting/finished",
    // the route matcher's candidates, the proxy's "Proxying to"): held at Warning in code, whatever the configuration
    // says, because a path may carry a secret (UrlRedaction). Spans keep the method, route and redacted path instead.
    static readonly string[] UrlLoggingCategories =
        ["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing.Matching", "Yarp.ReverseProxy.Forwarder"];

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var redaction = new UrlRedaction(UrlRedaction.DefaultSecretPathPrefixes
            .Concat(builder.Configuration.GetSection("Telemetry:SecretPathPrefixes").Get<string[]>() ?? []));
        foreach (var category in UrlLoggingCategories) builder.Logging.AddFilter(category, LogLevel.Warning);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry();
        // The AppHost names each resource through OTEL_SERVICE_NAME; a deployment that does not gets the application's
        // own name rather than the SDK's unknown_service:dotnet.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }
        telemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Npgsql", "VirtualIop.Messaging", "VirtualIop.Attendance", "VirtualIop.Notification", "VirtualIop.Gateway",
                    "VirtualIop.Auth"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(ExtraTraceSources)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath);
                    options.EnrichWithHttpRequest = (activity, request) => redaction.RedactServerSpan(activity, request.PathBase + request.Path);
                    options.EnrichWithHttpResponse = (activity, response) =>
                        redaction.RedactServerSpan(activity, response.HttpContext.Request.PathBase + response.HttpContext.Request.Path);
                })
                .AddHttpClientInstrumentation(options =>
                {
                    options.EnrichWithHttpRequestMessage = (activity, request) => redaction.RedactClientSpan(activity, request.RequestUri);
                    options.EnrichWithHttpResponseMessage = (activity, response) => redaction.RedactClientSpan(activity, response.RequestMessage?.RequestUri);
                    options.EnrichWithException = (activity, _) => redaction.RedactClientSpan(activity, UrlOf(activity));
                }));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    static Uri? UrlOf(Activity activity) =>
        activity.GetTagItem("url.full") is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    // Health endpoints are mapped in every environment: orchestrators and the AppHost probe them.
    // They reveal only Healthy/Unhealthy, never details.
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live")
        }).AllowAnonymous();
        return app;
    }
}
