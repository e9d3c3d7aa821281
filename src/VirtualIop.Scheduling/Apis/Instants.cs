using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualIop.Scheduling.Apis;

/// <summary>
/// Instants arrive as ISO 8601 text that states its offset ("Z" or "+02:00"). Without an offset .NET would
/// assume the server's local time zone and silently move the session, so such text is refused (400).
/// </summary>
public static class Instants
{
    public const string Expected = "Expected an ISO 8601 instant with an offset, such as 2030-05-01T14:00:00-04:00.";

    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return !string.IsNullOrWhiteSpace(text)
               && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var stated)
               && stated.Kind != DateTimeKind.Unspecified
               && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }
}

/// <summary>Reads a JSON instant with <see cref="Instants.TryParse"/>; anything else is a 400 naming the property.</summary>
public sealed class InstantWithOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Instants.TryParse(reader.GetString(), out var instant)
            ? instant
            : throw new JsonException(Instants.Expected);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } instant) writer.WriteStringValue(instant);
        else writer.WriteNullValue();
    }
}
