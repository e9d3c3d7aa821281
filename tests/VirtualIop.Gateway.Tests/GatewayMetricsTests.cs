using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway.Tests;

/// <summary>429s and refused tokens, read from the gateway's own meters after real requests over HTTP.</summary>
public sealed class GatewayMetricsTests
{
    /// <summary>What one gateway's meter counted, by the value of one attribute (other gateways in the process have meters of the same name).</summary>
    sealed class Counted : IDisposable
    {
        readonly MeterListener listener = new();
        readonly ConcurrentDictionary<(string Instrument, string? Attribute), long> counts = new();

        public Counted(KestrelGateway gateway, string meterName, string attribute)
        {
            var meters = gateway.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, meters)) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? tagged = null;
                foreach (var tag in tags) if (tag.Key == attribute) tagged = tag.Value?.ToString();
                counts.AddOrUpdate((instrument.Name, tagged), value, (_, sum) => sum + value);
            });
            listener.Start();
        }

        public long this[string instrument, string attributeValue] => counts.GetValueOrDefault((instrument, attributeValue));

        public long Total(string instrument) => counts.Where(c => c.Key.Instrument == instrument).Sum(c => c.Value);

        public void Dispose() => listener.Dispose();
    }

    [Fact]
    public async Task Each_429_is_counted_under_the_limit_that_refused_it()
    {
        await using var gateway = new KestrelGateway(("GatewayRateLimits:PartnerRequestsPerMinute", "1"),
            ("GatewayRateLimits:TokenRequestsPerClientPerMinute", "1"));
        using var counted = new Counted(gateway, GatewayMetrics.MeterName, "policy");
        var partner = gateway.PartnerClient(Guid.NewGuid(), "partner-a");
        var http = gateway.CreateClient();
        FormUrlEncodedContent Token() => new(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "demo-clinic", ["client_secret"] = "demo-clinic-secret"
        });

        var partnerCalls = new[] { await partner.GetAsync("/api/scheduling/programs"), await partner.GetAsync("/api/scheduling/programs") };
        var tokenCalls = new[] { await http.PostAsync("/connect/token", Token()), await http.PostAsync("/connect/token", Token()) };

        Assert.Equal(HttpStatusCode.TooManyRequests, partnerCalls[1].StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (tokenCalls[0].StatusCode, tokenCalls[1].StatusCode));
        Assert.Equal(1, counted["virtualiop.gateway.rate_limited", "partner"]);
        Assert.Equal(1, counted["virtualiop.gateway.rate_limited", GatewayMetrics.TokenClientPolicy]);
        Assert.Equal(2, counted.Total("virtualiop.gateway.rate_limited"));
    }

    [Fact]
    public async Task Each_refused_token_is_counted_once_with_a_reason_code_that_quotes_nothing_of_the_token()
    {
        await using var gateway = new KestrelGateway();
        using var counted = new Counted(gateway, TokenFailureMetrics.MeterName, "reason");
        var http = gateway.CreateClient();
        var foreignToken = new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = "another-issuers-signing-key-0123456789abcdef" }, TimeProvider.System)
            .Issue(Guid.NewGuid(), "partner-a", [PartnerScopes.Scheduling], TimeSpan.FromMinutes(10));

        async Task<HttpStatusCode> Call(string? authorization)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/scheduling/programs");
            if (authorization is not null) request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
            return (await http.SendAsync(request)).StatusCode;
        }

        var statuses = new[] { await Call("Bearer " + foreignToken), await Call("Bearer not-a-token"), await Call(null) };

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(1, counted["virtualiop.auth.token_failures", "signature"]);
        Assert.Equal(1, counted["virtualiop.auth.token_failures", "malformed"]);
        Assert.Equal(1, counted["virtualiop.auth.token_failures", "missing"]);
        Assert.Equal(3, counted.Total("virtualiop.auth.token_failures"));
    }
}
