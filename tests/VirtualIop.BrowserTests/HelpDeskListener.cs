using System.Text.Json;

namespace VirtualIop.BrowserTests;

/// <summary>
/// The clinic's help desk: the shared <see cref="RecordingHttpServer"/>, where Notification's help-desk webhook posts
/// tickets (the stack sets Notification:HelpDesk:WebhookUrl to it); each body is read as JSON.
/// </summary>
public sealed class HelpDeskListener : IAsyncDisposable
{
    public const string SigningSecret = "browser-tier-help-desk-secret";

    readonly RecordingHttpServer server = new();

    public string TicketsUrl => $"{server.BaseUrl}/tickets";

    /// <summary>Polls until a ticket matching <paramref name="predicate"/> has arrived; throws listing what did arrive otherwise.</summary>
    public async Task<JsonElement> WaitForTicketAsync(Func<JsonElement, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var tickets = server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();
            if (tickets.FirstOrDefault(predicate) is { ValueKind: JsonValueKind.Object } ticket) return ticket;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"No matching help-desk ticket within {timeout}; received: " +
                    (tickets.Count == 0 ? "none" : string.Join("; ", tickets.Select(t => t.GetRawText()))));
            await Task.Delay(250);
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
