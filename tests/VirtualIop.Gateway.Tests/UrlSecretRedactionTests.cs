using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace VirtualIop.Gateway.Tests;

/// <summary>
/// A calendar feed's token is its only key. The gateway's spans (its server span and the proxied call's client span)
/// and its log lines are captured as an exporter and a log shipper would see them; the token appears in none.
/// </summary>
public sealed class UrlSecretRedactionTests
{
    [Fact]
    public async Task A_calendar_feed_token_in_the_url_reaches_no_span_and_no_log_line()
    {
        var secret = $"feed{Guid.NewGuid():N}";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http" or "Yarp.ReverseProxy",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new CapturedLogs();
        await using var gateway = new KestrelGatewayWithLogs(logs);

        var response = await gateway.CreateClient().GetAsync($"/api/scheduling/feeds/{secret}.ics");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var ours = spans.Where(s => s.TagObjects.Any(t => t.Value is string v && v.Contains("/api/scheduling/feeds/", StringComparison.Ordinal))).ToList();
        Assert.Contains(ours, s => s.Kind == ActivityKind.Server);
        Assert.Contains(ours, s => s.Kind == ActivityKind.Client);
        Assert.All(ours, s => Assert.Contains("{redacted}", s.GetTagItem(s.Kind == ActivityKind.Client ? "url.full" : "url.path") as string));
        var leaked = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))))
            .Where(text => text.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.Empty(leaked);
        Assert.NotEmpty(logs.Lines);
        Assert.Empty(logs.Lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).Select(line => line[..line.IndexOf(':')]).Distinct());
    }

    sealed class KestrelGatewayWithLogs(CapturedLogs logs) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Auth:SigningKey", GatewayFactory.SigningKey);
            builder.UseSetting("ReverseProxy:Clusters:scheduling:Destinations:scheduling:Address", "http://127.0.0.1:9");
            // Everything a verbose deployment would log, the request lines included.
            builder.UseSetting("Logging:LogLevel:Default", "Debug");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Debug");
            builder.UseSetting("Logging:LogLevel:Yarp", "Debug");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }
}
