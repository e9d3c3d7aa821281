using System.Text.Json;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>An enum value's name on the wire and in stored rows: camelCase, as the JSON serializer writes it.</summary>
public static class WireName
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>The value whose wire name is exactly <paramref name="name"/>; false for anything else, numbers included.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Of(candidate) != name) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
}
