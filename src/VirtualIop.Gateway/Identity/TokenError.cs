using System.Text.Json.Serialization;

namespace VirtualIop.Gateway.Identity;

public sealed record TokenError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
