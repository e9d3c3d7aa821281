using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Notification.Apis;

/// <summary>Optional id filters arrive as text, so a malformed one is answered with a 400 that names its field.</summary>
static class QueryGuid
{
    public static Guid? Parse(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Guid.TryParse(value, out var id)) return id;
        errors.Add(field, "Not a valid id.");
        return null;
    }
}
