using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.FaultTests.Harness;

/// <summary>One clinic's partner calls straight to the services (a token minted with the stack's signing key), spread over the replicas.</summary>
public sealed class ClinicApi(HttpClient http, AuthenticationHeaderValue token, Func<string, Uri> baseAddress)
{
    /// <summary>Sends JSON to <paramref name="path"/> (its first segment after /api/ names the service) and expects <paramref name="expected"/>.</summary>
    public async Task<JsonElement> Send(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        var service = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        using var request = new HttpRequestMessage(method, new Uri(baseAddress(service), path.TrimStart('/')));
        request.Headers.Authorization = token;
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    public Task<JsonElement> Post(string path, object body, HttpStatusCode expected = HttpStatusCode.Created) => Send(HttpMethod.Post, path, body, expected);

    public Task<JsonElement> Put(string path, object body) => Send(HttpMethod.Put, path, body, HttpStatusCode.OK);

    public Task<JsonElement> Get(string path) => Send(HttpMethod.Get, path, null, HttpStatusCode.OK);
}
