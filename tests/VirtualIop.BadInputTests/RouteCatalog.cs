using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace VirtualIop.BadInputTests;

/// <summary>A route parameter: its name, and whether its constraint makes it a guid.</summary>
public sealed record RouteParameter(string Name, bool IsGuid, string? Segment);

/// <summary>A query parameter the handler binds, with its CLR type (nullable unwrapped).</summary>
public sealed record QueryParameter(string Name, Type Type);

/// <summary>
/// One endpoint as its host's <see cref="EndpointDataSource"/> describes it: method, route pattern, route and query
/// parameters (from the handler's parameters), and the JSON body's type (from <see cref="IAcceptsMetadata"/>).
/// </summary>
public sealed record RouteInfo(string Method, string Pattern, IReadOnlyList<RouteParameter> RouteParameters,
    IReadOnlyList<QueryParameter> Query, Type? BodyType, bool Anonymous)
{
    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>Webhooks: anonymous writes authenticated by a signature instead of a token.</summary>
    public bool IsWebhook => Anonymous && Method == "POST";
}

public static class RouteCatalog
{
    static readonly HashSet<Type> SimpleTypes =
    [
        typeof(string), typeof(Guid), typeof(int), typeof(long), typeof(bool), typeof(DateTimeOffset), typeof(DateTime), typeof(DateOnly),
        typeof(TimeOnly), typeof(TimeSpan), typeof(decimal), typeof(double),
    ];

    /// <summary>Every API route of a host (not its health endpoints), one entry per method.</summary>
    public static IReadOnlyList<RouteInfo> Of(IServiceHost host) =>
        host.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => Describe(host, e, method)))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();

    static RouteInfo Describe(IServiceHost host, RouteEndpoint endpoint, string method)
    {
        var pattern = endpoint.RoutePattern;
        var routeParameters = pattern.Parameters.Select(p => new RouteParameter(p.Name,
            p.ParameterPolicies.Any(policy => policy.Content == "guid"), SegmentBefore(pattern.RawText!, p.Name))).ToList();
        var bodyType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
        var query = handler is null
            ? []
            : handler.GetParameters()
                .Where(p => p.Name is not null && routeParameters.All(r => !string.Equals(r.Name, p.Name, StringComparison.OrdinalIgnoreCase)))
                .Select(p => (p.Name!, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
                .Where(p => (SimpleTypes.Contains(p.Type) || p.Type.IsEnum) && p.Type != bodyType && !host.IsService(p.Type))
                .Select(p => new QueryParameter(p.Item1, p.Type))
                .ToList();
        var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        return new RouteInfo(method, pattern.RawText!, routeParameters, query, bodyType, anonymous);
    }

    /// <summary>The literal path segment before a parameter (<c>cohorts</c> for <c>/cohorts/{id}</c>), which says what an <c>id</c> names.</summary>
    static string? SegmentBefore(string pattern, string parameter)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(segments, s => s.StartsWith("{" + parameter, StringComparison.Ordinal));
        return index > 0 ? segments[index - 1] : null;
    }
}
