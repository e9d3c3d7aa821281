using System.Text.Json;
using System.Text.RegularExpressions;

namespace VirtualIop.OperationsTests;

/// <summary>
/// The images come from dotnet publish /t:PublishContainer, which cannot pull a base image here: these tests read the
/// container settings MSBuild evaluates for each host and check them, and that the Kubernetes manifests agree.
/// </summary>
[Trait("Category", "Deploy")]
public sealed class ContainerImageTests
{
    public static readonly string[] Hosts = ["gateway", "scheduling", "attendance", "notification", "engagement", "web"];

    public static TheoryData<string> HostNames => new(Hosts);

    sealed record ContainerSettings(
        string Repository, string BaseImage, string User, string InvariantGlobalization,
        IReadOnlyList<string> Ports, IReadOnlyDictionary<string, string> Labels);

    static readonly Dictionary<string, Task<ContainerSettings>> Evaluated = Hosts.ToDictionary(h => h, Evaluate);

    static async Task<ContainerSettings> Evaluate(string host)
    {
        var project = Repository.PathOf("src", $"VirtualIop.{char.ToUpperInvariant(host[0])}{host[1..]}");
        var run = await Repository.Run("dotnet", ["msbuild", project, "-nologo",
            "-getProperty:ContainerRepository", "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser",
            "-getProperty:InvariantGlobalization", "-getItem:ContainerPort", "-getItem:ContainerLabel"]);
        Assert.True(run.ExitCode == 0, $"dotnet msbuild {project} failed:\n{run.Output}\n{run.Error}");
        using var json = JsonDocument.Parse(run.Output);
        var properties = json.RootElement.GetProperty("Properties");
        var items = json.RootElement.GetProperty("Items");
        IEnumerable<JsonElement> Items(string name) =>
            items.TryGetProperty(name, out var list) ? list.EnumerateArray() : [];
        return new ContainerSettings(
            properties.GetProperty("ContainerRepository").GetString()!,
            properties.GetProperty("ContainerBaseImage").GetString()!,
            properties.GetProperty("ContainerUser").GetString()!,
            properties.GetProperty("InvariantGlobalization").GetString()!,
            Items("ContainerPort").Select(p => $"{p.GetProperty("Identity").GetString()}/{p.GetProperty("Type").GetString()}").ToList(),
            Items("ContainerLabel").ToDictionary(l => l.GetProperty("Identity").GetString()!, l => l.GetProperty("Value").GetString()!));
    }

    [Theory]
    [MemberData(nameof(HostNames))]
    public async Task Each_host_publishes_a_non_root_chiseled_image_of_its_own_on_port_8080(string host)
    {
        var image = await Evaluated[host];

        Assert.Equal($"virtualiop/{host}", image.Repository);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0-noble-chiseled", image.BaseImage);
        Assert.True(int.TryParse(image.User, out var uid) && uid > 0,
            $"ContainerUser must be a non-root uid (a number, so Kubernetes' runAsNonRoot can verify it), not '{image.User}'.");
        Assert.Equal(["8080/tcp"], image.Ports);
        Assert.Equal("/health", image.Labels.GetValueOrDefault("io.virtualiop.health.readiness"));
        Assert.Equal("/alive", image.Labels.GetValueOrDefault("io.virtualiop.health.liveness"));
    }

    [Theory]
    [MemberData(nameof(HostNames))]
    public async Task Hosts_that_resolve_time_zones_carry_tzdata_and_icu(string host)
    {
        // Programs and patients keep IANA zones and series recur across DST: globalization stays on, and the base
        // image must then be the -extra variant (the plain chiseled image has neither ICU nor tzdata).
        var image = await Evaluated[host];

        Assert.Equal("false", image.InvariantGlobalization);
        Assert.EndsWith("-extra", image.BaseImage);
    }

    [Fact]
    public async Task The_five_hosts_agree_on_base_user_port_and_labels()
    {
        var images = await Task.WhenAll(Hosts.Select(h => Evaluated[h]));

        Assert.Single(images.Select(i => i.BaseImage).Distinct());
        Assert.Single(images.Select(i => i.User).Distinct());
        Assert.Single(images.Select(i => string.Join(",", i.Ports)).Distinct());
        Assert.Single(images.Select(i => string.Join(",", i.Labels.OrderBy(l => l.Key))).Distinct());
    }

    [Fact]
    public void Every_web_host_under_src_has_an_image()
    {
        var webHosts = Directory.GetFiles(Repository.PathOf("src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => File.ReadAllText(p).Contains("Sdk=\"Microsoft.NET.Sdk.Web\"", StringComparison.Ordinal))
            .Select(p => Path.GetFileNameWithoutExtension(p)["VirtualIop.".Length..].ToLowerInvariant())
            .Order();

        Assert.Equal(Hosts.Order(), webHosts);
    }

    [Theory]
    [MemberData(nameof(HostNames))]
    public async Task The_deployment_runs_the_image_as_its_user_on_its_port_and_probes(string host)
    {
        var image = await Evaluated[host];
        var deployment = await File.ReadAllTextAsync(Repository.PathOf("deploy", "k8s", "base", host, "deployment.yaml"));

        Assert.Matches(new Regex($@"\bimage: {Regex.Escape(image.Repository)}\s"), deployment);
        Assert.Matches(new Regex($@"\brunAsUser: {image.User}\s"), deployment);
        Assert.Matches(new Regex($@"\bcontainerPort: {image.Ports[0].Split('/')[0]}\s"), deployment);
        Assert.Contains($"path: {image.Labels["io.virtualiop.health.readiness"]}", deployment, StringComparison.Ordinal);
        Assert.Contains($"path: {image.Labels["io.virtualiop.health.liveness"]}", deployment, StringComparison.Ordinal);
    }
}
