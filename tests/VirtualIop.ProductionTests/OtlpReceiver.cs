using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace VirtualIop.ProductionTests;

/// <summary>One exported span with the <c>service.name</c> of the process that exported it.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, Span.Types.SpanKind Kind, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public override string ToString() => $"{Service} {Kind} '{Name}'";
}

/// <summary>
/// An OTLP/HTTP (protobuf) collector hosted by the test on Kestrel, standing in for the operator's collector: it keeps
/// every span posted to <c>/v1/traces</c> and accepts metrics and logs without keeping them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<ReceivedSpan> spans = new();

    OtlpReceiver(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base address for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; the exporters add the signal paths.</summary>
    public Uri Endpoint { get; }

    public static async Task<OtlpReceiver> Start(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, new Uri($"http://localhost:{port}"));
        app.MapPost("/v1/traces", receiver.Traces);
        app.MapPost("/v1/metrics", () => Results.Ok());
        app.MapPost("/v1/logs", () => Results.Ok());
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The spans of one trace received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => spans.Where(s => s.TraceId == traceId).ToList();

    async Task<IResult> Traces(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resource in export.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";
            foreach (var span in resource.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                var attributes = new Dictionary<string, string>();
                foreach (var attribute in span.Attributes)
                    attributes[attribute.Key] = attribute.Value.ValueCase == AnyValue.ValueOneofCase.StringValue ? attribute.Value.StringValue : attribute.Value.ToString();
                spans.Enqueue(new ReceivedSpan(service, Convert.ToHexStringLower(span.TraceId.Span), span.Kind, span.Name, attributes));
            }
        }
        return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
