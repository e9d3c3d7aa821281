using System.Text.RegularExpressions;

namespace VirtualIop.OperationsTests;

/// <summary>
/// Both overlays render with kubectl's kustomize and every object validates offline (deploy/k8s/validate/validate.mjs:
/// built-in kinds against the Kubernetes schemas, the operators' resources against the CRDs kept in deploy/k8s/crds,
/// and the deployment rules). Needs kubectl and node with the validator's packages (scripts/test.sh runs npm ci).
/// </summary>
[Trait("Category", "Deploy")]
public sealed class KubernetesManifestTests
{
    static readonly string Validator = Repository.PathOf("deploy", "k8s", "validate", "validate.mjs");

    // Rendered once per overlay for the whole class: the breakage cases edit copies of the text.
    static readonly Dictionary<string, Task<string>> Rendered = new()
    {
        ["dev"] = RenderOverlay("dev"),
        ["prod"] = RenderOverlay("prod"),
    };

    static Task<string> Render(string overlay) => Rendered[overlay];

    static async Task<string> RenderOverlay(string overlay)
    {
        var run = await Repository.Run("kubectl", ["kustomize", Repository.PathOf("deploy", "k8s", "overlays", overlay)]);
        Assert.True(run.ExitCode == 0, $"kubectl kustomize overlays/{overlay} failed:\n{run.Error}");
        return run.Output;
    }

    static async Task<Repository.Outcome> Validate(string overlay, string manifests)
    {
        Assert.True(Directory.Exists(Repository.PathOf("deploy", "k8s", "validate", "node_modules", "kubernetes-models")),
            "The validator's packages are missing: run `npm ci --prefix deploy/k8s/validate` (scripts/test.sh does).");
        return await Repository.Run("node", [Validator, overlay], manifests);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Overlay_renders_and_every_object_validates(string overlay)
    {
        var run = await Validate(overlay, await Render(overlay));

        Assert.True(run.ExitCode == 0, $"overlays/{overlay} does not validate:\n{run.Output}{run.Error}");
        Assert.StartsWith($"ok {overlay}:", run.Output);
    }

    /// <summary>Each edit breaks one thing the validator must catch; the message names it.</summary>
    public static TheoryData<string, string, string, string> Breakages => new()
    {
        // description, pattern to replace (first match), replacement, expected failure text
        { "a replica count of the wrong type", @"replicas: 2\b", "replicas: two", "spec/replicas must be integer" },
        { "a misspelt CloudNativePG field", @"(?m)^  instances: 3$", "  instancez: 3", "must NOT have additional properties (instancez)" },
        { "a RabbitMQ field of the wrong type", @"(?m)^  replicas: 3$", "  replicas: \"3\"", "RabbitmqCluster/virtualiop-broker: /spec/replicas must be integer" },
        { "a Database reclaim policy the CRD does not know", @"databaseReclaimPolicy: retain", "databaseReclaimPolicy: keep", "databaseReclaimPolicy must be equal to one of the allowed values" },
        { "a writable root filesystem", @"readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem must be true" },
        { "a single replica in prod", @"replicas: 2\b", "replicas: 1", "replicas must be at least 2 in prod" },
        { "a readiness probe on the wrong path", @"path: /health", "path: /ready", "readinessProbe must GET /health" },
        { "a second Ingress, for a service", @"\z", "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: scheduling\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: scheduling\n            port:\n              number: 80\n", "only the gateway is exposed, not scheduling" },
        { "a service reaching another service's database", @"Database=attendance;", "Database=scheduling;", "must open database attendance as role attendance" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_broken_manifest_fails_validation(string description, string pattern, string replacement, string expected)
    {
        var manifests = await Render("prod");
        var broken = new Regex(pattern).Replace(manifests, replacement, 1);
        Assert.NotEqual(manifests, broken);

        var run = await Validate("prod", broken);

        Assert.True(run.ExitCode != 0, $"{description}: the validator accepted it.");
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
    }
}
