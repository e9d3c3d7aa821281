using System.Text.Json;
using VirtualIop.Contracts;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>How an event is stored in the outbox and how it is read back for publishing.</summary>
public static class IntegrationEventSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string TypeName(Type eventType) => eventType.FullName!;

    public static string Serialize(IIntegrationEvent message) => JsonSerializer.Serialize(message, message.GetType(), Options);

    public static (object Message, Type Type) Deserialize(string typeName, string body)
    {
        var type = typeof(IIntegrationEvent).Assembly.GetType(typeName, throwOnError: true)!;
        var message = JsonSerializer.Deserialize(body, type, Options)
                      ?? throw new InvalidOperationException($"Outbox body for {typeName} is empty.");
        return (message, type);
    }
}
