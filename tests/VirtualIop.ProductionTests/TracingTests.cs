using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OpenTelemetry.Proto.Trace.V1;
using VirtualIop.TestSupport;

namespace VirtualIop.ProductionTests;

/// <summary>
/// The published processes export their spans over OTLP to the collector the test hosts: one partner call through the
/// gateway yields one trace that runs through Scheduling, across the outbox and the broker, into a consumer.
/// </summary>
[Collection(ProductionCollection.Name)]
[Trait("Category", "Production")]
public sealed class TracingTests(PublishedStack stack)
{
    static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task One_trace_spans_the_gateway_Scheduling_the_broker_and_a_consumer_of_SessionScheduled()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.Address(PublishedStack.Gateway), "api/scheduling/sessions"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await stack.RequestToken());
        // The partner's own trace context, so the trace under test is known; everything after it is the stack's.
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        request.Content = JsonContent.Create(new
        {
            kind = "groupTherapy",
            startsAt = DateTimeOffset.UtcNow.AddDays(1),
            durationMinutes = 60,
            timeZone = "America/New_York",
            patientIds = new[] { Guid.NewGuid() }
        });
        using (var response = await stack.Http.SendAsync(request))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var links = new (string What, Func<ReceivedSpan, bool> Is)[]
        {
            ("the gateway's server span", s => s.Service == "VirtualIop.Gateway" && s.Kind == Span.Types.SpanKind.Server),
            ("Scheduling's server span", s => s.Service == "VirtualIop.Scheduling" && s.Kind == Span.Types.SpanKind.Server),
            ("Scheduling's publish of SessionScheduled", s => s.Service == "VirtualIop.Scheduling" && s.Kind == Span.Types.SpanKind.Producer && Names(s, "SessionScheduled")),
            ("a consumer of SessionScheduled in Attendance or Notification", s =>
                s.Service is "VirtualIop.Attendance" or "VirtualIop.Notification" && s.Kind == Span.Types.SpanKind.Consumer && Names(s, "SessionScheduled")),
        };
        var trace = await Eventually.Until(() => Task.FromResult(stack.Telemetry.Trace(traceId)),
            spans => links.All(link => spans.Any(link.Is)),
            $"trace {traceId} to hold {string.Join(", ", links.Select(l => l.What))}", ExportTimeout);

        Assert.All(links, link => Assert.Contains(trace, s => link.Is(s)));
        Assert.Equal("", stack.Crashed());
    }

    static bool Names(ReceivedSpan span, string messageType) =>
        span.Name.Contains(messageType, StringComparison.Ordinal) || span.Attributes.Values.Any(v => v.Contains(messageType, StringComparison.Ordinal));
}
