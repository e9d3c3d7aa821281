using System.Text.Json;

namespace VirtualIop.Engagement.Domain;

/// <summary>The camelCase name an enum value has on the wire and in the database.</summary>
public static class Wire
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = Enum.GetValues<T>().FirstOrDefault(v => string.Equals(Name(v), text, StringComparison.OrdinalIgnoreCase));
        return text is not null && string.Equals(Name(value), text, StringComparison.OrdinalIgnoreCase);
    }

    public static string Choices<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Name(v)));
}
