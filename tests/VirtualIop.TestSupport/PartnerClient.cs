using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.TestSupport;

/// <summary>A partner clinic's view of the gateway: a real client-credentials token, then JSON calls.</summary>
public static class PartnerClient
{
    public const string DemoClinic = "demo-clinic";
    public const string OtherClinic = "other-clinic";

    public static async Task<HttpClient> AuthenticateAs(this HttpClient gateway, string clientId)
    {
        var response = await gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientId + "-secret"
        }));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return gateway;
    }

    /// <summary>Polls a GET until <paramref name="ready"/> holds; events cross services asynchronously.</summary>
    public static async Task<JsonElement> Eventually(this HttpClient client, string path, Func<JsonElement, bool> ready, TimeSpan timeout)
    {
        var last = await TestSupport.Eventually.Until(() => Get(client, path), reply => reply.Body is { } body && ready(body),
            $"GET {path} to reach the expected state", timeout);
        return last.Body!.Value;
    }

    static async Task<Reply> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, text, response.IsSuccessStatusCode ? JsonSerializer.Deserialize<JsonElement>(text) : null);
    }

    /// <summary>One answer to a GET: its body when it succeeded, and how it reads in a timeout message.</summary>
    sealed record Reply(int Status, string Text, JsonElement? Body)
    {
        public override string ToString() => $"{Status} {Text}";
    }
}
