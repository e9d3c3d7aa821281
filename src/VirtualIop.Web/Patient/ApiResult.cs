using System.Text.Json;

namespace VirtualIop.Web.Patient;

public enum ApiOutcome
{
    Ok,
    /// <summary>400 or 422 with the fields at fault.</summary>
    Invalid,
    NotFound,
    Conflict,
    /// <summary>401 or 403: the patient's session is over; the page sends them to the kind expiry page.</summary>
    Expired,
    Failed
}

/// <summary>What a call to the gateway gave: the value, or the problem the API described.</summary>
public sealed record ApiResult<T>(ApiOutcome Outcome, T? Value, ApiProblem? Problem)
{
    public bool IsOk => Outcome == ApiOutcome.Ok;
}

/// <summary>
/// A ProblemDetails answer (RFC 9457) as a page shows it: the title and detail, and each named field's messages.
/// Field names are the API's (camelCase, "quietHours.start"), which the forms use as their input names.
/// </summary>
public sealed record ApiProblem(string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly ApiProblem None = new(null, null, new Dictionary<string, string[]>());

    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>The messages of fields outside <paramref name="shownBesideInputs"/>, with the title or detail when there are none.</summary>
    public IEnumerable<string> Others(params string[] shownBesideInputs) => Errors.Count == 0
        ? new[] { Detail ?? Title }.OfType<string>()
        : Errors.Where(e => !shownBesideInputs.Contains(e.Key, StringComparer.OrdinalIgnoreCase)).SelectMany(e => e.Value);

    /// <summary>Reads a problem body; anything that is not one gives a problem with no fields and no text.</summary>
    public static ApiProblem Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return None;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return None;
            var root = document.RootElement;
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    var messages = field.Value.ValueKind switch
                    {
                        JsonValueKind.Array => field.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToArray(),
                        JsonValueKind.String => [field.Value.GetString()!],
                        _ => []
                    };
                    if (messages.Length > 0) errors[field.Name] = messages;
                }
            }
            return new ApiProblem(Text(root, "title"), Text(root, "detail"), errors);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
