using System.Reflection;
using System.Text.RegularExpressions;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Engagement.Domain;
using VirtualIop.Gateway;
using VirtualIop.Notification.Channels.Email;
using VirtualIop.Notification.Channels.Push;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.Notification.Extensions;
using VirtualIop.Scheduling.Extensions;
using VirtualIop.Web;

namespace VirtualIop.OperationsTests;

/// <summary>
/// A misspelt environment variable is silently ignored and the default runs in production. Every Section__Key the
/// Kubernetes manifests set must name a property of the options class that binds that section.
/// </summary>
[Trait("Category", "Deploy")]
public sealed class ManifestSettingsTests
{
    /// <summary>Configuration sections and the options they bind (the longest matching section wins).</summary>
    static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [PartnerAuthOptions.SectionName] = typeof(PartnerAuthOptions),
        [MessagingOptions.SectionName] = typeof(MessagingOptions),
        [SchedulingOptions.SectionName] = typeof(SchedulingOptions),
        [AttendanceOptions.SectionName] = typeof(AttendanceOptions),
        [TelehealthOptions.SectionName] = typeof(TelehealthOptions),
        [NotificationOptions.SectionName] = typeof(NotificationOptions),
        [SmtpOptions.SectionName] = typeof(SmtpOptions),
        [SmsOptions.SectionName] = typeof(SmsOptions),
        [PushOptions.SectionName] = typeof(PushOptions),
        ["Engagement:Patterns"] = typeof(PatternSettings),
        [GatewayRateLimitOptions.SectionName] = typeof(GatewayRateLimitOptions),
        [ForwardedHeadersSettings.SectionName] = typeof(ForwardedHeadersSettings),
        [WebOptions.SectionName] = typeof(WebOptions),
    };

    /// <summary>Settings read as plain keys rather than through an options class.</summary>
    static readonly string[] PlainKeys = ["ConnectionStrings:", "services:", "Logging:", "OpenApi:TokenUrl"];

    static IEnumerable<string> ManifestKeys()
    {
        var root = Repository.PathOf("deploy", "k8s");
        var literal = new Regex(@"^\s*-\s*([A-Za-z][A-Za-z0-9_]*__[A-Za-z0-9_]+)=", RegexOptions.Multiline);
        var envName = new Regex(@"^\s*-\s*name:\s*([A-Za-z][A-Za-z0-9_]*__[A-Za-z0-9_]+)\s*$", RegexOptions.Multiline);
        foreach (var file in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}crds{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains("node_modules", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in literal.Matches(text)) yield return m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal);
            foreach (Match m in envName.Matches(text)) yield return m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_setting_the_manifests_give_names_a_real_option()
    {
        var keys = ManifestKeys().Distinct().Order().ToList();
        Assert.Contains("Auth:Authority", keys);

        var problems = keys
            .Where(k => !PlainKeys.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .Select(k => (Key: k, Problem: Problem(k)))
            .Where(x => x.Problem is not null)
            .Select(x => $"{x.Key.Replace(":", "__", StringComparison.Ordinal)}: {x.Problem}")
            .ToList();

        Assert.True(problems.Count == 0, "Settings in deploy/k8s that no service reads:\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData("Smtp:Hots", "SmtpOptions has no setting 'Hots'")]
    [InlineData("Scheduling:CalendarFeeds:PublicBaseUri", "CalendarFeedOptions has no setting 'PublicBaseUri'")]
    [InlineData("Notifications:PatientPortalUrl", "no options class binds section 'Notifications'")]
    [InlineData("Attendance:NoShowGrace:Minutes", "NoShowGrace is a single value")]
    public void A_misspelt_setting_is_named(string key, string expected)
    {
        Assert.Equal(expected, Problem(key));
    }

    [Theory]
    [InlineData("Attendance:Telehealth:Secrets:3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01")]
    [InlineData("ForwardedHeaders:KnownNetworks:0")]
    [InlineData("Notification:HelpDesk:SigningSecret")]
    public void Nested_dictionary_and_list_settings_are_understood(string key)
    {
        Assert.Null(Problem(key));
    }

    static string? Problem(string key)
    {
        var section = Sections.Keys.Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(s => s.Length);
        if (section is null) return $"no options class binds section '{key.Split(':')[0]}'";
        return Problem(Sections[section], key[(section.Length + 1)..].Split(':'), 0);
    }

    static string? Problem(Type type, string[] path, int at)
    {
        if (at == path.Length) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        var segment = path[at];
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null) return Problem(dictionary.GetGenericArguments()[1], path, at + 1);
        if (type != typeof(string) && (type.IsArray || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))))
        {
            if (!int.TryParse(segment, out _)) return $"{path[at - 1]} is a list: index it (__0, __1, ...), not '{segment}'";
            var element = type.IsArray ? type.GetElementType()! : type.GetInterfaces().Append(type)
                .First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)).GetGenericArguments()[0];
            return Problem(element, path, at + 1);
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal)
            || type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(Uri))
            return $"{path[at - 1]} is a single value";
        var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is null || property.SetMethod is null && !property.PropertyType.IsClass
            ? $"{type.Name} has no setting '{segment}'"
            : Problem(property.PropertyType, path, at + 1);
    }
}
