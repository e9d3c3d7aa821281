using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.BadInputTests;

/// <summary>What a case must get back: any 4xx problem, or exactly 401 (a webhook's missing or bad signature).</summary>
public enum Expect
{
    ClientError,
    Unauthorized,
}

/// <summary>
/// One request of the corpus. A strict case is bad input whatever the endpoint's rules (a wrong type, a date past 2100,
/// a string past every length limit, another clinic's id): it must get a 4xx problem and write nothing. A lenient case may
/// be valid for some fields (a null or missing optional field, free text with quotes or markup): it must not get a 5xx,
/// and a 4xx must still be a problem, but it may be accepted.
/// </summary>
/// <param name="Foreign">Ids of the other clinic's data that no answer to this case may show.</param>
public sealed record Case(RouteInfo Route, string Name, bool Strict, Expect Expect, Func<HttpRequestMessage> Request, IReadOnlyList<string>? Foreign = null);

/// <summary>Builds the corpus of one route from its metadata: a valid request by reflection, then one bad part at a time.</summary>
public sealed partial class Corpus(IServiceHost host, IReadOnlyDictionary<string, Guid> ids, IReadOnlyDictionary<string, Guid> otherClinicIds)
{
    /// <summary>Ids any partner may name (patients and clinicians live in the partner's records), so an unknown one is no error.</summary>
    static readonly HashSet<string> OpenKeys = ["patientId", "clinicianId", "contactId", "staffId", "participantId", "facilitatorClinicianId", "clinicId"];

    static readonly Dictionary<string, string> IdOfSegment = new()
    {
        ["programs"] = "programId", ["cohorts"] = "cohortId", ["sessions"] = "sessionId", ["makeups"] = "makeupId",
        ["follow-ups"] = "followUpId", ["patients"] = "patientId", ["clinicians"] = "clinicianId", ["absence-notices"] = "noticeId",
    };

    const string EventIdPlaceholder = "evt-placeholder";
    const int HugeCount = 2_000;
    static readonly string HugeText = new('x', InputBounds.MaxLongText + 1);
    static readonly string OversizedText = new('x', 1_100_000);
    static readonly DateTimeOffset Base = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(15);

    static readonly string[] Injections =
    [
        "'; drop table program; --", "\" or 1=1 --", "<script>alert(1)</script>", "{{makeupOptions}}", "../../../etc/passwd", "\u0000", "%00",
        "\u202e\u0007", "${jndi:ldap://x/a}",
    ];

    public IEnumerable<Case> For(RouteInfo route)
    {
        var (body, bodyType) = BodyOf(route);
        var query = ValidQuery(route);
        var path = PathOf(route, new Dictionary<string, string>());
        var cases = new List<Case>();

        if (route.IsWebhook) cases.AddRange(SignatureCases(route, body, path));
        if (body is not null && bodyType is not null)
        {
            var bodyCases = BodyCases(route, body, bodyType, path, query).ToList();
            cases.AddRange(bodyCases);
            if (route.IsWebhook) cases.AddRange(bodyCases.Select(c => Signed(c, host.WebhookSecret)));
        }
        cases.AddRange(RouteCases(route, body, query));
        cases.AddRange(QueryCases(route, body, path, query));
        return cases;
    }

    // ---- the valid request ----

    (JsonNode? Body, Type? Type) BodyOf(RouteInfo route)
    {
        if (route.Pattern.Contains("/sms/inbound/", StringComparison.Ordinal)) return (null, null);
        var type = route.BodyType
                   ?? (route.Pattern.Contains("telehealth", StringComparison.Ordinal) ? typeof(Attendance.Apis.TelehealthEventRequest)
                       : route.Pattern.Contains("webhooks/recordings", StringComparison.Ordinal) ? typeof(Scheduling.Apis.RecordingWebhookPayload)
                       : null);
        if (type is null) return (null, null);
        var valid = Valid(type, "", 0);
        if (valid is JsonObject { } webhook && webhook.ContainsKey("eventId")) webhook["eventId"] = EventIdPlaceholder;
        if (route.Pattern.Contains("telehealth", StringComparison.Ordinal) && valid is JsonObject telehealth)
        {
            telehealth["participantRole"] = "patient"; telehealth["kind"] = "joined";
            telehealth["participantId"] = ids.GetValueOrDefault("patientId").ToString();
            telehealth["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        }
        return (valid, type);
    }

    JsonNode? Valid(Type type, string name, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (Primitive(t, name) is { } primitive) return primitive;
        if (depth > 4) return null;
        var info = host.Json.GetTypeInfo(t);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                var obj = new JsonObject();
                foreach (var p in info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null))
                    obj[p.Name] = Valid(p.PropertyType, p.Name, depth + 1);
                return obj;
            case JsonTypeInfoKind.Enumerable:
                return new JsonArray(Valid(info.ElementType!, Singular(name), depth + 1));
            case JsonTypeInfoKind.Dictionary:
                return new JsonObject();
            default:
                return null;
        }
    }

    JsonNode? Primitive(Type t, string name)
    {
        var n = name.ToLowerInvariant();
        if (t == typeof(Guid)) return (ids.TryGetValue(name, out var id) ? id : Guid.NewGuid()).ToString();
        if (t == typeof(string)) return TextFor(n);
        if (t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double))
            return n.Contains("minutes") || n.Contains("duration") ? 60 : n.Contains("capacity") ? 8 : n.Contains("position") ? 1 : 2;
        if (t == typeof(bool)) return true;
        if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
            return (n.Contains("end") ? Base.AddMinutes(90) : n.Contains("due") || n.Contains("expires") ? Base.AddDays(30) : Base)
                .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (t == typeof(DateOnly))
            return (n.Contains("signed") ? DateOnly.FromDateTime(DateTime.UtcNow) : DateOnly.FromDateTime(Base.UtcDateTime.AddDays(7))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (t == typeof(TimeOnly)) return n.Contains("end") ? "17:00" : "09:00";
        if (t == typeof(TimeSpan)) return "1.00:00:00";
        if (t.IsEnum) return JsonSerializer.SerializeToNode(Enum.GetValues(t).GetValue(0), t, host.Json);
        return null;
    }

    static string TextFor(string n) => n switch
    {
        _ when n.Contains("timezone") => "America/Chicago",
        _ when n.Contains("email") || n.Contains("contact") => "someone@example.test",
        _ when n.Contains("phone") => "+15555550123",
        _ when n.Contains("url") || n.Contains("address") => "https://example.test/resource",
        _ when n.Contains("rrule") => "FREQ=WEEKLY;BYDAY=MO;COUNT=2",
        _ when n.Contains("local") => Base.AddDays(1).ToString("yyyy-MM-dd'T'10:00", CultureInfo.InvariantCulture),
        _ when n.Contains("reasoncategory") => "technicalDifficulty",
        _ when n.Contains("recipientkind") => "family",
        _ when n == "scope" => "attendanceOnly",
        _ when n == "language" => "en",
        _ when n == "start" => "22:00",
        _ when n == "end" => "07:00",
        _ => "A note",
    };

    static string Singular(string name) => name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^1] : name;

    Dictionary<string, string> ValidQuery(RouteInfo route)
    {
        var query = new Dictionary<string, string>();
        foreach (var q in route.Query)
        {
            if (q.Type == typeof(Guid) && ids.TryGetValue(q.Name, out var id)) query[q.Name] = id.ToString();
            else if (q.Type == typeof(DateTimeOffset) && q.Name == "from") query[q.Name] = Iso(DateTimeOffset.UtcNow.Date.AddDays(-1));
            else if (q.Type == typeof(DateTimeOffset) && q.Name == "to") query[q.Name] = Iso(DateTimeOffset.UtcNow.Date.AddDays(14));
        }
        return query;
    }

    static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    string KeyOf(RouteParameter p) =>
        p.Name != "id" ? p.Name : p.Segment is { } segment && IdOfSegment.TryGetValue(segment, out var key) ? key : p.Name;

    string PathOf(RouteInfo route, IReadOnlyDictionary<string, string> overrides) =>
        RouteParameterText().Replace(route.Pattern, m =>
        {
            var name = m.Groups["name"].Value;
            if (overrides.TryGetValue(name, out var given)) return given;
            var parameter = route.RouteParameters.Single(p => p.Name == name);
            if (name == "clinicId") return host.Clinic.ToString();
            if (!parameter.IsGuid) return ValidSegment(route, name);
            return (ids.TryGetValue(KeyOf(parameter), out var id) ? id : Guid.NewGuid()).ToString();
        });

    static string ValidSegment(RouteInfo route, string name) => name switch
    {
        "channel" => "email",
        "language" => "en",
        "kind" => route.Pattern.Contains("/continuity/", StringComparison.Ordinal) ? "homework" : "reminder",
        _ => "value",
    };

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameterText();

    static string WithQuery(string path, IReadOnlyDictionary<string, string> query) =>
        query.Count == 0 ? path : path + "?" + string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));

    Func<HttpRequestMessage> Send(RouteInfo route, string path, IReadOnlyDictionary<string, string> query, string? json,
        string mediaType = "application/json", IReadOnlyDictionary<string, string>? headers = null) => () =>
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), WithQuery(path, query));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        foreach (var (header, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(header, value);
        return request;
    };

    // ---- the bad parts ----

    IEnumerable<Case> SignatureCases(RouteInfo route, JsonNode? body, string path)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var stale = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (body is null)
        {
            const string form = "MessageSid=SM1&AccountSid=AC1&From=%2B15555550123&To=%2B15555550100&Body=STOP";
            const string formType = "application/x-www-form-urlencoded";
            yield return new(route, "unsigned form", true, Expect.Unauthorized, Send(route, path, new Dictionary<string, string>(), form, formType));
            yield return new(route, "badly signed form", true, Expect.Unauthorized, Send(route, path, new Dictionary<string, string>(), form, formType,
                new Dictionary<string, string> { ["X-Twilio-Signature"] = "bm90IGEgc2lnbmF0dXJl" }));
            yield return new(route, "empty signature", true, Expect.Unauthorized, Send(route, path, new Dictionary<string, string>(), form, formType,
                new Dictionary<string, string> { ["X-Twilio-Signature"] = "" }));
            yield return new(route, "unsigned form with an encoded NUL", true, Expect.Unauthorized,
                Send(route, path, new Dictionary<string, string>(), form + "&Extra=%00", formType));
            yield return new(route, "unsigned multipart without boundary", true, Expect.ClientError,
                Send(route, path, new Dictionary<string, string>(), form, "multipart/form-data"));
            yield return new(route, "form posted as json", true, Expect.ClientError, Send(route, path, new Dictionary<string, string>(), "{\"Body\":\"STOP\"}"));
            yield return new(route, "oversized form", true, Expect.ClientError,
                Send(route, path, new Dictionary<string, string>(), form + "&Pad=" + OversizedText, formType));
            yield break;
        }
        var json = body.ToJsonString();
        var none = new Dictionary<string, string>();
        yield return new(route, "unsigned", true, Expect.Unauthorized, Send(route, path, none, json));
        yield return new(route, "wrong signature", true, Expect.Unauthorized, Send(route, path, none, json, headers: new Dictionary<string, string>
        {
            [WebhookSignature.TimestampHeader] = now, [WebhookSignature.SignatureHeader] = "sha256=" + new string('0', 64),
        }));
        yield return new(route, "malformed signature", true, Expect.Unauthorized, Send(route, path, none, json, headers: new Dictionary<string, string>
        {
            [WebhookSignature.TimestampHeader] = "yesterday", [WebhookSignature.SignatureHeader] = "not a signature",
        }));
        yield return new(route, "stale signature", true, Expect.Unauthorized, Send(route, path, none, json, headers: new Dictionary<string, string>
        {
            [WebhookSignature.TimestampHeader] = stale, [WebhookSignature.SignatureHeader] = "sha256=" + new string('a', 64),
        }));
        yield return new(route, "overflowing timestamp", true, Expect.Unauthorized, Send(route, path, none, json, headers: new Dictionary<string, string>
        {
            [WebhookSignature.TimestampHeader] = "99999999999999999999", [WebhookSignature.SignatureHeader] = "sha256=" + new string('a', 64),
        }));
    }

    /// <summary>
    /// A case signed as the clinic's platform signs (HMAC-SHA256 over "timestamp.body"), so that its body reaches the
    /// parsing behind the signature check. An unknown id may be valid there (telehealth holds a presence for a session it
    /// has not heard of yet), so those cases may be answered.
    /// </summary>
    static Case Signed(Case c, string secret) => c with
    {
        Name = "signed, " + c.Name,
        Strict = c.Strict && !c.Name.Contains("random id", StringComparison.Ordinal) && !c.Name.Contains("another clinic's id", StringComparison.Ordinal),
        Request = () =>
        {
            var request = c.Request();
            var body = request.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
            // Each delivery has an id of its own: one case's body must not be refused as a replay of another's.
            var at = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(EventIdPlaceholder));
            if (request.Content is { } content && at >= 0)
            {
                byte[] unique = [.. body[..at], .. Encoding.UTF8.GetBytes($"evt-{Guid.NewGuid():N}"), .. body[(at + EventIdPlaceholder.Length)..]];
                request.Content = new ByteArrayContent(unique);
                request.Content.Headers.ContentType = content.Headers.ContentType;
                body = unique;
            }
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            // The scheme as partners are told to sign, written out here rather than taken from the services' own code.
            var target = new Uri(new Uri("http://signed.invalid"), request.RequestUri!).PathAndQuery;
            var signed = Encoding.UTF8.GetBytes($"{timestamp}\n{request.Method.Method}\n{target}\n").Concat(body).ToArray();
            var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
            request.Headers.Add(WebhookSignature.SignatureHeader, "sha256=" + Convert.ToHexStringLower(mac));
            return request;
        },
    };

    IEnumerable<Case> BodyCases(RouteInfo route, JsonNode body, Type bodyType, string path, IReadOnlyDictionary<string, string> query)
    {
        Case Whole(string name, string? json, string mediaType = "application/json") => new(route, name, true, Expect.ClientError, Send(route, path, query, json, mediaType));

        yield return Whole("malformed JSON", "{\"");
        yield return Whole("truncated JSON", body.ToJsonString()[..^1]);
        yield return Whole("trailing comma", body.ToJsonString()[..^1] + ",}");
        yield return Whole("comment in JSON", "/* c */" + body.ToJsonString());
        yield return Whole("array for object", "[]");
        yield return Whole("string for object", "\"x\"");
        yield return Whole("number for object", "42");
        yield return Whole("null body", "null");
        yield return Whole("empty body", "");
        yield return Whole("no body", null);
        yield return Whole("deep nesting", new string('[', 5_000) + new string(']', 5_000));
        yield return Whole("text/plain", body.ToJsonString(), "text/plain");
        yield return new(route, "invalid UTF-8", true, Expect.ClientError, () =>
        {
            var request = Send(route, path, query, null)();
            request.Content = new ByteArrayContent([.. InvalidUtf8(body)]);
            request.Content.Headers.ContentType = new("application/json");
            return request;
        });
        yield return Whole("oversized body (>1 MB)", Oversized(body));

        foreach (var leaf in Leaves(body, [], bodyType, ""))
        {
            var (bad, lenient) = BadValues(leaf.Type, leaf.Name);
            foreach (var (label, raw) in bad) yield return Mutated(route, path, query, body, leaf, label, raw, strict: true);
            foreach (var (label, raw) in lenient) yield return Mutated(route, path, query, body, leaf, label, raw, strict: false);
            yield return new(route, $"{Describe(leaf.Path)} missing", false, Expect.ClientError, Send(route, path, query, Remove(body, leaf.Path).ToJsonString()));
        }
    }

    Case Mutated(RouteInfo route, string path, IReadOnlyDictionary<string, string> query, JsonNode body, Leaf leaf, string label, string? raw, bool strict)
    {
        var json = Replace(body, leaf.Path, raw).ToJsonString();
        return new(route, $"{Describe(leaf.Path)} = {label}", strict, Expect.ClientError, Send(route, path, query, json));
    }

    /// <summary>The valid body with bytes that are no UTF-8 in its first text value (or as a field name when it has none).</summary>
    static IEnumerable<byte> InvalidUtf8(JsonNode body)
    {
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        var quote = Array.IndexOf(json, (byte)'"', Array.IndexOf(json, (byte)':') + 1);
        var at = quote > 0 ? quote + 1 : 2;
        return json.Take(at).Concat(new byte[] { 0xff, 0xfe, 0xc3 }).Concat(json.Skip(at));
    }

    static string Oversized(JsonNode body)
    {
        var copy = body.DeepClone();
        if (copy is JsonObject obj) obj["padding"] = OversizedText;
        return copy.ToJsonString();
    }

    sealed record Leaf(IReadOnlyList<object> Path, Type Type, string Name);

    /// <summary>Every field of the body, nested objects and list elements included, with its CLR type.</summary>
    IEnumerable<Leaf> Leaves(JsonNode node, IReadOnlyList<object> path, Type type, string name)
    {
        if (path.Count > 0) yield return new Leaf(path, type, name);
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var info = Primitive(t, name) is null ? host.Json.GetTypeInfo(t) : null;
        if (node is JsonObject obj)
        {
            var properties = info?.Kind == JsonTypeInfoKind.Object ? info.Properties : null;
            foreach (var (key, child) in obj.ToList())
            {
                var childType = properties?.FirstOrDefault(p => p.Name == key)?.PropertyType;
                if (child is not null && childType is not null)
                    foreach (var leaf in Leaves(child, [.. path, key], childType, key)) yield return leaf;
            }
        }
        else if (node is JsonArray { Count: > 0 } array && info?.Kind == JsonTypeInfoKind.Enumerable && array[0] is { } element)
        {
            foreach (var leaf in Leaves(element, [.. path, 0], info.ElementType!, Singular(name))) yield return leaf;
        }
    }

    static string Describe(IReadOnlyList<object> path) => string.Join("", path.Select((p, i) => p is int index ? $"[{index}]" : i == 0 ? p.ToString() : "." + p));

    (List<(string Label, string? Raw)> Strict, List<(string Label, string? Raw)> Lenient) BadValues(Type type, string name)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var strict = new List<(string, string?)>();
        var lenient = new List<(string, string?)> { ("null", "null") };
        void Both(string label, string raw) => strict.Add((label, raw));
        if (t == typeof(string))
        {
            Both("number for text", "12345");
            Both("object for text", "{}");
            Both("array for text", "[\"a\"]");
            Both($"{HugeText.Length} characters", JsonSerializer.Serialize(HugeText));
            lenient.Add(("empty text", "\"\""));
            lenient.Add(("blank text", "\"   \""));
            lenient.AddRange(Injections.Select(i => ($"injection {JsonSerializer.Serialize(i)}", (string?)JsonSerializer.Serialize(i))));
        }
        else if (t == typeof(Guid))
        {
            Both("not a guid", "\"not-a-guid\"");
            Both("number for guid", "12345");
            Both("injection for guid", JsonSerializer.Serialize(Injections[0]));
            if (!OpenKeys.Contains(name))
            {
                Both("random id", JsonSerializer.Serialize(Guid.NewGuid()));
                if (otherClinicIds.TryGetValue(name, out var other)) Both("another clinic's id", JsonSerializer.Serialize(other));
            }
            lenient.Add(("empty guid", JsonSerializer.Serialize(Guid.Empty)));
            if (OpenKeys.Contains(name)) lenient.Add(("random id", JsonSerializer.Serialize(Guid.NewGuid())));
        }
        else if (t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double))
        {
            Both("text for number", "\"abc\"");
            Both("1e309", "1e309");
            Both("2147483647", "2147483647");
            Both("2147483648", "2147483648");
            Both("9223372036854775808", "9223372036854775808");
            Both("-1", "-1");
            Both("bool for number", "true");
            if (t == typeof(int) || t == typeof(long)) Both("fraction", "1.5");
            lenient.Add(("0", "0"));
        }
        else if (t == typeof(bool))
        {
            Both("text for bool", "\"yes\"");
            Both("number for bool", "1");
        }
        else if (t.IsEnum)
        {
            Both("unknown enum value", "\"notAValue\"");
            Both("enum as number", "99");
            Both("empty enum", "\"\"");
            Both("injection for enum", JsonSerializer.Serialize(Injections[0]));
        }
        else if (t == typeof(DateTimeOffset) || t == typeof(DateTime))
        {
            Both("9999-12-31T23:59Z", "\"9999-12-31T23:59Z\"");
            Both("0001-01-01", "\"0001-01-01T00:00:00Z\"");
            Both("9999-12-31T23:59:59.9999999-14:00", "\"9999-12-31T23:59:59.9999999-14:00\"");
            Both("not a date", "\"not-a-date\"");
            Both("30 February", "\"2030-02-30T10:00:00Z\"");
            Both("number for date", "12");
        }
        else if (t == typeof(DateOnly))
        {
            Both("9999-12-31", "\"9999-12-31\"");
            Both("0001-01-01", "\"0001-01-01\"");
            Both("30 February", "\"2030-02-30\"");
            Both("not a date", "\"x\"");
        }
        else if (t == typeof(TimeOnly))
        {
            Both("25:00", "\"25:00\"");
            Both("not a time", "\"x\"");
        }
        else if (t == typeof(TimeSpan))
        {
            Both("not a duration", "\"x\"");
            Both("TimeSpan.MaxValue", "\"10675199.02:48:05.4775807\"");
            Both("TimeSpan.MinValue", "\"-10675199.02:48:05.4775808\"");
            Both("negative duration", "\"-01:00:00\"");
        }
        else
        {
            var info = host.Json.GetTypeInfo(t);
            if (info.Kind == JsonTypeInfoKind.Enumerable)
            {
                Both("text for list", "\"x\"");
                Both("object for list", "{}");
                Both("null element", "[null]");
                var element = Valid(info.ElementType!, Singular(name), 1);
                Both($"{HugeCount} elements", new JsonArray(Enumerable.Range(0, HugeCount).Select(_ => element?.DeepClone()).ToArray()).ToJsonString());
                lenient.Add(("empty list", "[]"));
            }
            else if (info.Kind == JsonTypeInfoKind.Object)
            {
                Both("text for object", "\"x\"");
                Both("array for object", "[]");
                lenient.Add(("empty object", "{}"));
            }
        }
        return (strict, lenient);
    }

    static JsonNode Replace(JsonNode body, IReadOnlyList<object> path, string? raw)
    {
        var copy = body.DeepClone();
        var parent = Navigate(copy, path);
        var value = raw is null ? null : JsonNode.Parse(raw);
        switch (path[^1])
        {
            case string key: parent.AsObject()[key] = value; break;
            case int index: parent.AsArray()[index] = value; break;
        }
        return copy;
    }

    static JsonNode Remove(JsonNode body, IReadOnlyList<object> path)
    {
        var copy = body.DeepClone();
        var parent = Navigate(copy, path);
        switch (path[^1])
        {
            case string key: parent.AsObject().Remove(key); break;
            case int index: parent.AsArray().RemoveAt(index); break;
        }
        return copy;
    }

    static JsonNode Navigate(JsonNode root, IReadOnlyList<object> path)
    {
        var node = root;
        foreach (var step in path.Take(path.Count - 1)) node = step is int i ? node[i]! : node[(string)step]!;
        return node;
    }

    IEnumerable<Case> RouteCases(RouteInfo route, JsonNode? body, IReadOnlyDictionary<string, string> query)
    {
        var json = body?.ToJsonString();
        foreach (var p in route.RouteParameters.Where(p => p.Name != "clinicId"))
        {
            Case With(string label, string value) => new(route, $"route {p.Name} = {label}", true, Expect.ClientError,
                Send(route, PathOf(route, new Dictionary<string, string> { [p.Name] = value }), query, json));
            if (p.IsGuid)
            {
                yield return With("not a guid", "not-a-guid");
                var key = KeyOf(p);
                if (OpenKeys.Contains(key))
                {
                    // Anyone may name a patient or clinician the clinic has not met yet, so these may be answered; but
                    // nothing of the other clinic's may show in the answer.
                    yield return With("random id", Guid.NewGuid().ToString()) with { Strict = false };
                    if (otherClinicIds.TryGetValue(key, out var person))
                        yield return With("another clinic's id", person.ToString()) with { Strict = false, Foreign = ForeignTo(person) };
                    continue;
                }
                yield return With("random id", Guid.NewGuid().ToString());
                if (otherClinicIds.TryGetValue(key, out var other)) yield return With("another clinic's id", other.ToString()) with { Foreign = ForeignTo(other) };
            }
            else
            {
                yield return With("unknown value", "notAValue");
                yield return With("injection", Uri.EscapeDataString(Injections[0]));
                yield return With("3000 characters", new string('x', 3_000));
            }
        }
    }

    /// <summary>The other clinic's ids, but the one the request names itself (an answer may echo that back).</summary>
    List<string> ForeignTo(Guid named) => otherClinicIds.Values.Where(id => id != named).Distinct().Select(id => id.ToString()).ToList();

    /// <summary>Query parameters that filter by free text (a staff member's name or handle), not by a choice.</summary>
    static readonly HashSet<string> FreeTextQuery = ["assignee"];

    IEnumerable<Case> QueryCases(RouteInfo route, JsonNode? body, string path, IReadOnlyDictionary<string, string> valid)
    {
        var json = body?.ToJsonString();
        Case With(string name, string label, string value, bool strict = true) => new(route, $"query {name} = {label}", strict, Expect.ClientError,
            Send(route, path, new Dictionary<string, string>(valid) { [name] = value }, json));
        foreach (var q in route.Query)
        {
            var t = q.Type;
            if (t == typeof(int) || t == typeof(long))
            {
                foreach (var v in new[] { "-1", "2147483647", "2147483648", "abc", "1e309", "1.5" }) yield return With(q.Name, v, v);
                if (q.Name == "limit") yield return With(q.Name, "0", "0");
            }
            else if (t == typeof(string))
            {
                // A free-text filter matches nothing for any text within its length; other text parameters name a choice.
                var freeText = FreeTextQuery.Contains(q.Name);
                yield return With(q.Name, "garbage", "!!not-valid!!", strict: !freeText);
                yield return With(q.Name, "5000 characters", new string('A', 5_000));
                yield return With(q.Name, "injection", Injections[0], strict: !freeText);
                yield return With(q.Name, "NUL", "\0");
            }
            else if (t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(DateOnly))
            {
                yield return With(q.Name, "9999-12-31T23:59Z", t == typeof(DateOnly) ? "9999-12-31" : "9999-12-31T23:59Z");
                yield return With(q.Name, "0001-01-01", t == typeof(DateOnly) ? "0001-01-01" : "0001-01-01T00:00Z");
                yield return With(q.Name, "not a date", "abc");
            }
            else if (t == typeof(Guid))
            {
                yield return With(q.Name, "not a guid", "abc");
                yield return With(q.Name, "random id", Guid.NewGuid().ToString(), strict: false);
                if (otherClinicIds.TryGetValue(q.Name, out var other))
                    yield return With(q.Name, "another clinic's id", other.ToString(), strict: false) with { Foreign = ForeignTo(other) };
            }
            else if (t == typeof(bool)) yield return With(q.Name, "maybe", "maybe");
            else if (t.IsEnum) yield return With(q.Name, "unknown enum value", "notAValue");
        }

        var from = route.Query.FirstOrDefault(q => q.Name == "from");
        var to = route.Query.FirstOrDefault(q => q.Name == "to");
        if (from is not null && to is not null && from.Type == typeof(DateTimeOffset))
        {
            var now = DateTimeOffset.UtcNow.Date;
            yield return new(route, "query from after to", true, Expect.ClientError, Send(route, path,
                new Dictionary<string, string>(valid) { ["from"] = Iso(now.AddDays(10)), ["to"] = Iso(now) }, json));
            yield return new(route, $"query range over {InputBounds.MaxRangeDays} days", true, Expect.ClientError, Send(route, path,
                new Dictionary<string, string>(valid) { ["from"] = Iso(now), ["to"] = Iso(now.AddDays(InputBounds.MaxRangeDays * 3)) }, json));
            yield return new(route, "query from 0001 to 9999", true, Expect.ClientError, Send(route, path,
                new Dictionary<string, string>(valid) { ["from"] = "0001-01-01T00:00Z", ["to"] = "9999-12-31T23:59Z" }, json));
        }
    }
}
