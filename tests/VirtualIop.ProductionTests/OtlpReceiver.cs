using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace VirtualIop.ProductionTests;

/// <summary>One exported span with the <c>service.name</c> of the process that exported it.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, Span.Types.SpanKind Kind, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public override string ToString() => $"{Service} {Kind} '{Name}'";
}

/// <summary>
/// One exported metric data point: a sum's or a gauge's value, or a histogram's count, as the process that exported it
/// last reported it (cumulative temporality, the exporter's default).
/// </summary>
public sealed record ReceivedPoint(string Service, string Metric, IReadOnlyDictionary<string, string> Attributes, double Value)
{
    public override string ToString() => $"{Service} {Metric} {{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}} = {Value}";
}

/// <summary>
/// An OTLP/HTTP (protobuf) collector hosted by the test on Kestrel, standing in for the operator's collector: it keeps
/// every span posted to <c>/v1/traces</c> and every metric data point posted to <c>/v1/metrics</c>, and accepts logs
/// without keeping them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<ReceivedSpan> spans = new();
    readonly ConcurrentQueue<ReceivedPoint> points = new();

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
        app.MapPost("/v1/metrics", receiver.Metrics);
        app.MapPost("/v1/logs", () => Results.Ok());
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The spans of one trace received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>
    /// The highest value one process reported for a metric among the points whose attributes include
    /// <paramref name="attributes"/> (cumulative sums only grow), or null when none arrived yet.
    /// </summary>
    public double? Highest(string service, string metric, params (string Key, string Value)[] attributes) =>
        points.Where(p => p.Service == service && p.Metric == metric
                          && attributes.All(a => p.Attributes.TryGetValue(a.Key, out var value) && value == a.Value))
            .Select(p => (double?)p.Value).Max();

    async Task<IResult> Metrics(HttpRequest request)
    {
        var export = ExportMetricsServiceRequest.Parser.ParseFrom(await BodyOf(request));
        foreach (var resource in export.ResourceMetrics)
        {
            var service = ServiceOf(resource.Resource);
            foreach (var metric in resource.ScopeMetrics.SelectMany(scope => scope.Metrics))
            {
                var values = metric.DataCase switch
                {
                    Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => (p.Attributes, Value: ValueOf(p))),
                    Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => (p.Attributes, Value: ValueOf(p))),
                    Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => (p.Attributes, Value: (double)p.Count)),
                    _ => []
                };
                foreach (var (attributes, value) in values)
                    points.Enqueue(new ReceivedPoint(service, metric.Name, TextOf(attributes), value));
            }
        }
        return Results.Bytes(new ExportMetricsServiceResponse().ToByteArray(), "application/x-protobuf");
    }

    static double ValueOf(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    static string ServiceOf(OpenTelemetry.Proto.Resource.V1.Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";

    static Dictionary<string, string> TextOf(IEnumerable<KeyValue> attributes) =>
        attributes.ToDictionary(a => a.Key, a => a.Value.ValueCase == AnyValue.ValueOneofCase.StringValue ? a.Value.StringValue : a.Value.ToString());

    static async Task<byte[]> BodyOf(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    async Task<IResult> Traces(HttpRequest request)
    {
        var export = ExportTraceServiceRequest.Parser.ParseFrom(await BodyOf(request));
        foreach (var resource in export.ResourceSpans)
        {
            var service = ServiceOf(resource.Resource);
            foreach (var span in resource.ScopeSpans.SelectMany(scope => scope.Spans))
                spans.Enqueue(new ReceivedSpan(service, Convert.ToHexStringLower(span.TraceId.Span), span.Kind, span.Name, TextOf(span.Attributes)));
        }
        return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
