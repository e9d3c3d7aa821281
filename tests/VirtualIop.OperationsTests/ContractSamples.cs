using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using VirtualIop.Contracts;

namespace VirtualIop.OperationsTests;

/// <summary>
/// The stored samples of every event (tests/contract-samples/&lt;EventName&gt;/&lt;release&gt;.json, the message as that
/// release put it on the broker) and a maker of today's events with every field set, from ids, times and codes only.
/// </summary>
public static class ContractSamples
{
    public const string WriteVariable = "VIRTUALIOP_WRITE_CONTRACT_SAMPLES";

    public static string Directory { get; } = Repository.PathOf("tests", "contract-samples");

    /// <summary>Today's release, as major.minor of the contracts' assembly version: the name of the samples it adds.</summary>
    public static string CurrentRelease { get; } = typeof(IIntegrationEvent).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}" : "0.0";

    public static IReadOnlyList<Type> EventTypes { get; } = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    public static Type? EventType(string name) => EventTypes.SingleOrDefault(t => t.Name == name);

    /// <summary>Every stored sample: event name, release and path.</summary>
    public static IEnumerable<(string Event, string Release, string Path)> Stored() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetDirectories(Directory).Order(StringComparer.Ordinal)
                .SelectMany(dir => System.IO.Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal)
                    .Select(file => (System.IO.Path.GetFileName(dir), System.IO.Path.GetFileNameWithoutExtension(file), file)))
            : [];

    static readonly DateTimeOffset SampleTime = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Plausible codes for the string fields (each names its codes in the event's summary); "other" for the rest.</summary>
    static readonly Dictionary<string, string> Codes = new(StringComparer.Ordinal)
    {
        ["TimeZone"] = "America/Chicago",
        ["SessionScheduled.Kind"] = "groupTherapy",
        ["SessionRescheduled.Kind"] = "groupTherapy",
        ["FollowUpTaskCreated.Kind"] = "missedSessionOutreach",
        ["FollowUpTaskCreated.Reason"] = "sessionMissed",
        ["ReasonCategory"] = "illness",
        ["Outcome"] = "present",
        ["PreviousOutcome"] = "noShow",
        ["RiskLevel"] = "moderate",
        ["Channel"] = "email",
        ["Change"] = "frequency",
        ["Modality"] = "group",
        ["Purpose"] = "treatmentCoordination",
        ["RecipientKind"] = "familyMember",
        ["Rule"] = "maxUnexcusedAbsences",
        ["DeliveryFailed.Reason"] = "providerRejected",
        ["SessionCancelled.Reason"] = "clinicianUnavailable",
        ["SessionRescheduled.Reason"] = "clinicianUnavailable",
        ["MakeupBooked.Kind"] = "oneOnOne",
        ["MakeupCompleted.Kind"] = "oneOnOne",
        ["OfferedKinds"] = "oneOnOne",
        ["Signals"] = "consecutiveMisses",
    };

    /// <summary>A session from 15:00 to 16:00 UTC; what happens around it (notices, decisions) before or after it.</summary>
    static DateTimeOffset Time(string name) => name switch
    {
        _ when name.Contains("Previous", StringComparison.Ordinal) => SampleTime.AddDays(-1),
        _ when name.Contains("Ends", StringComparison.Ordinal) => SampleTime.AddHours(1),
        _ when name.Contains("Starts", StringComparison.Ordinal) => SampleTime,
        _ when name.Contains("Expires", StringComparison.Ordinal) => SampleTime.AddDays(30),
        _ => SampleTime.AddHours(-2),
    };

    /// <summary>An instance of <paramref name="type"/> with every constructor argument set (lists hold one item).</summary>
    public static object Make(Type type) => Value(type, type.Name, type.Name);

    static object Value(Type type, string owner, string name)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Value(underlying, owner, name);
        // One id per field name, so the samples read as one story (the same clinic, patient and session throughout);
        // each event its own EventId.
        if (type == typeof(Guid)) return new Guid(MD5.HashData(Encoding.UTF8.GetBytes(name == "EventId" ? owner : name)));
        if (type == typeof(DateTimeOffset)) return Time(name);
        if (type == typeof(DateOnly)) return DateOnly.FromDateTime(SampleTime.UtcDateTime);
        if (type == typeof(TimeOnly)) return new TimeOnly(15, 0);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(15);
        if (type == typeof(string))
            return Codes.GetValueOrDefault($"{owner}.{name}") ?? Codes.GetValueOrDefault(name) ?? "other";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 2;
        if (type == typeof(long)) return 3L;
        if (type == typeof(double)) return 0.5d;
        if (type == typeof(decimal)) return 0.5m;
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0)!;
        if (type.IsArray || (type.IsGenericType && type.GetGenericArguments().Length == 1
                             && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Value(element, owner, name), 0);
            return array;
        }
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).MaxBy(c => c.GetParameters().Length)
            ?? throw new InvalidOperationException($"{owner}.{name}: {type} has no public constructor to make a sample with.");
        return constructor.Invoke(constructor.GetParameters()
            .Select(p => Value(p.ParameterType, type.Name, p.Name!)).ToArray());
    }
}
