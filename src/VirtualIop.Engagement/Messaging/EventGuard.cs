namespace VirtualIop.Engagement.Messaging;

/// <summary>An event without the ids it is about cannot be acted on; failing sends it through the retries to the _error queue.</summary>
static class EventGuard
{
    public static void RequireIds(string eventName, Guid eventId, params Guid[] ids)
    {
        if (ids.Any(id => id == Guid.Empty))
            throw new InvalidOperationException($"{eventName} {eventId} lacks one of the ids it must carry.");
    }
}
