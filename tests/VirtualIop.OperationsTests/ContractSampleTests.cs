using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MassTransit.Serialization;
using VirtualIop.BuildingBlocks.Messaging;

namespace VirtualIop.OperationsTests;

/// <summary>
/// Services upgrade one at a time, so for a while every event crosses between releases. Contracts only ever gain
/// optional fields: today's consumers must read what any earlier release wrote, and today's producers must still write
/// every field an earlier release's consumers read. The samples in tests/contract-samples are that record.
/// </summary>
[Trait("Category", "Deploy")]
public sealed class ContractSampleTests
{
    /// <summary>The two ways an event is read: from the broker (MassTransit's serializer) and from an outbox row
    /// an earlier release wrote before the upgrade (the outbox's own serializer).</summary>
    public static TheoryData<string> Readers => new() { "broker", "outbox" };

    static JsonSerializerOptions Options(string reader) =>
        reader == "broker" ? SystemTextJsonMessageSerializer.Options : IntegrationEventSerializer.Options;

    [Fact]
    public void Every_event_has_a_stored_sample()
    {
        var stored = ContractSamples.Stored().Select(s => s.Event).ToHashSet();
        var missing = ContractSamples.EventTypes.Where(t => !stored.Contains(t.Name)).ToList();
        if (missing.Count > 0 && Environment.GetEnvironmentVariable(ContractSamples.WriteVariable) == "1")
        {
            foreach (var type in missing)
            {
                var dir = Path.Combine(ContractSamples.Directory, type.Name);
                Directory.CreateDirectory(dir);
                var json = JsonSerializer.Serialize(ContractSamples.Make(type), type,
                    new JsonSerializerOptions(SystemTextJsonMessageSerializer.Options) { WriteIndented = true });
                File.WriteAllText(Path.Combine(dir, $"{ContractSamples.CurrentRelease}.json"), json + "\n");
            }
        }

        Assert.True(missing.Count == 0,
            $"No stored sample for {string.Join(", ", missing.Select(t => t.Name))}. A new event needs one: run " +
            $"`{ContractSamples.WriteVariable}=1 dotnet test tests/VirtualIop.OperationsTests --filter FullyQualifiedName~ContractSample` " +
            $"to write tests/contract-samples/<EventName>/{ContractSamples.CurrentRelease}.json from today's type, check that it holds " +
            "ids, times and codes only, and commit it. Never edit or delete a committed sample: it is what that release wrote.");
    }

    [Fact]
    public void Every_sample_names_a_known_event_and_holds_ids_times_and_codes_only()
    {
        var samples = ContractSamples.Stored().ToList();
        Assert.NotEmpty(samples);
        foreach (var (name, release, path) in samples)
        {
            Assert.True(ContractSamples.EventType(name) is not null,
                $"{path}: no event {name} in VirtualIop.Contracts. An event is never removed while a release that publishes it may run.");
            Assert.Matches(@"^\d+\.\d+$", release);
            foreach (var text in Strings(JsonNode.Parse(File.ReadAllText(path))))
            {
                Assert.True(Guid.TryParse(text, out _) || DateTimeOffset.TryParse(text, out _) || decimal.TryParse(text, CultureInfo.InvariantCulture, out _) || Regex.IsMatch(text, @"^[A-Za-z][A-Za-z0-9_/+\-]{0,63}$"),
                    $"{path}: '{text}' is not an id, a time or a code; events never carry names, contact details or free text.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Todays_consumers_read_every_field_of_every_stored_sample(string reader)
    {
        foreach (var (name, _, path) in ContractSamples.Stored())
        {
            var type = ContractSamples.EventType(name)!;
            var sample = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

            var read = JsonSerializer.Deserialize(sample.ToJsonString(), type, Options(reader));

            Assert.NotNull(read);
            // Written back as the broker carries it (MassTransit writes decimals as strings), to compare values, not spellings.
            var readBack = JsonSerializer.SerializeToNode(read, type, SystemTextJsonMessageSerializer.Options)!.AsObject();
            foreach (var (field, value) in sample)
            {
                Assert.True(readBack.TryGetPropertyValue(field, out var kept),
                    $"{path}: today's {name} does not read field '{field}' (removed or renamed?). Fields are only ever added.");
                Assert.True(JsonNode.DeepEquals(value, kept),
                    $"{path}: today's {name} reads field '{field}' as {kept?.ToJsonString() ?? "null"}, not {value?.ToJsonString() ?? "null"} (type changed?).");
            }
        }
    }

    [Fact]
    public void Todays_producers_write_every_field_earlier_releases_read()
    {
        foreach (var (name, _, path) in ContractSamples.Stored())
        {
            var type = ContractSamples.EventType(name)!;
            var sample = JsonNode.Parse(File.ReadAllText(path));
            var written = JsonSerializer.SerializeToNode(ContractSamples.Make(type), type, SystemTextJsonMessageSerializer.Options);

            foreach (var problem in Differences(sample, written, "$"))
                Assert.Fail($"{path}: today's {name} {problem}. Earlier consumers read it: keep it, and add new fields as optional ones.");
        }
    }

    /// <summary>Where <paramref name="written"/> lacks a field of <paramref name="sample"/> or gives it another JSON type.</summary>
    static IEnumerable<string> Differences(JsonNode? sample, JsonNode? written, string at)
    {
        if (sample is null) yield break;
        if (written is null)
        {
            yield return $"writes null at {at}, where a {sample.GetValueKind()} was";
            yield break;
        }
        switch (sample)
        {
            case JsonObject fields when written is JsonObject writtenFields:
                foreach (var (field, value) in fields)
                {
                    if (!writtenFields.TryGetPropertyValue(field, out var writtenValue))
                        yield return $"no longer writes {at}.{field}";
                    else
                        foreach (var d in Differences(value, writtenValue, $"{at}.{field}")) yield return d;
                }
                break;
            case JsonArray items when written is JsonArray writtenItems:
                if (items.Count > 0 && writtenItems.Count > 0)
                    foreach (var d in Differences(items[0], writtenItems[0], $"{at}[0]")) yield return d;
                break;
            default:
                var kind = Kind(sample);
                if (kind != Kind(written)) yield return $"writes {at} as {Kind(written)}, where it was {kind}";
                break;
        }
    }

    /// <summary>The JSON type, with strings told apart by what they hold (ids and times stay ids and times).</summary>
    static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.String when Guid.TryParse(node.GetValue<string>(), out _) => "id (string)",
        JsonValueKind.String when DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, out _) => "time (string)",
        var k => k.ToString().ToLowerInvariant(),
    };

    static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
