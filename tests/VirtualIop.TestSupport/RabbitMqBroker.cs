using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Testcontainers.RabbitMq;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>
/// A RabbitMQ broker with the management plugin, for integration tests (xunit class or collection fixture).
/// From <see cref="TestEnvironment.RabbitMq"/> + <see cref="TestEnvironment.RabbitMqManagement"/> when set
/// (scripts/test.sh), else a Testcontainers <c>rabbitmq:3-management</c>, else a clear failure.
/// Isolate tests with <see cref="NewVirtualHostAsync"/>: each gets its own virtual host, so test
/// assemblies running in parallel never share exchanges or queues.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    const int ManagementPort = 15672;
    RabbitMqContainer? _container;
    Uri? _amqp;
    HttpClient? _management;

    /// <summary>amqp URI of the broker's default virtual host.</summary>
    public Uri AmqpUri => _amqp ?? throw new InvalidOperationException("RabbitMqBroker is not initialised yet.");

    /// <summary>A client for the management HTTP API (base address and credentials set).</summary>
    public HttpClient Management => _management ?? throw new InvalidOperationException("RabbitMqBroker is not initialised yet.");

    public async Task InitializeAsync()
    {
        Uri managementUri;
        if (TestEnvironment.Get(TestEnvironment.RabbitMq) is { } amqp)
        {
            _amqp = new Uri(amqp);
            managementUri = new Uri(TestEnvironment.Get(TestEnvironment.RabbitMqManagement)
                ?? throw TestEnvironment.Unavailable("RabbitMQ management API", TestEnvironment.RabbitMqManagement));
        }
        else if (TestEnvironment.IsDockerAvailable)
        {
            _container = new RabbitMqBuilder("rabbitmq:3-management")
                .WithPortBinding(ManagementPort, assignRandomHostPort: true)
                .Build();
            await _container.StartAsync();
            _amqp = new Uri(_container.GetConnectionString());
            var (user, password) = Credentials(_amqp);
            managementUri = new UriBuilder("http", _container.Hostname, _container.GetMappedPublicPort(ManagementPort))
            {
                UserName = user,
                Password = password,
            }.Uri;
        }
        else
        {
            throw TestEnvironment.Unavailable("RabbitMQ broker", TestEnvironment.RabbitMq, TestEnvironment.RabbitMqManagement);
        }

        var (managementUser, managementPassword) = Credentials(managementUri);
        // The management API closes idle keep-alive connections early; a pooled one reused after that ends the
        // response prematurely, so never keep one idle for long.
        _management = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) }) { BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Authority) + "/") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{managementUser}:{managementPassword}")));
    }

    /// <summary>
    /// Creates a fresh virtual host (named from <paramref name="prefix"/> plus a unique suffix), grants the
    /// broker's user full rights on it, and returns an amqp URI for it.
    /// </summary>
    public async Task<Uri> NewVirtualHostAsync(string prefix)
    {
        var vhost = TestEnvironment.UniqueName(prefix);
        var encoded = Uri.EscapeDataString(vhost);
        (await Management.PutAsync($"api/vhosts/{encoded}", JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        var (user, _) = Credentials(AmqpUri);
        (await Management.PutAsJsonAsync(
            $"api/permissions/{encoded}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new UriBuilder(AmqpUri) { Path = "/" + encoded }.Uri;
    }

    /// <summary>
    /// Deletes a virtual host made by <see cref="NewVirtualHostAsync"/>, with its queues. Best effort: a broker
    /// keeping hundreds of idle test vhosts (each with its quorum queues) slows its management API to a crawl.
    /// </summary>
    public async Task DeleteVirtualHostAsync(Uri amqpUri)
    {
        var vhost = VirtualHostOf(amqpUri);
        if (vhost == "/") return;
        try
        {
            using var response = await Management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}");
        }
        catch (HttpRequestException)
        {
            // Left for the throwaway broker to take with it.
        }
        catch (TaskCanceledException)
        {
            // As above: a slow broker must not fail a test at tear-down.
        }
    }

    /// <summary>The name of the virtual host an amqp URI from <see cref="NewVirtualHostAsync"/> points at.</summary>
    public static string VirtualHostOf(Uri amqpUri) =>
        amqpUri.AbsolutePath.Length <= 1 ? "/" : Uri.UnescapeDataString(amqpUri.AbsolutePath[1..]);

    /// <summary>The queues of a virtual host with their message counts (as the management API last sampled them).</summary>
    public async Task<IReadOnlyList<QueueInfo>> GetQueuesAsync(string vhost)
    {
        var queues = await Management.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{Uri.EscapeDataString(vhost)}");
        return queues ?? [];
    }

    /// <summary>
    /// The number of messages in a queue (ready + unacknowledged), or null when the queue does not exist.
    /// Handy for "a poison message lands in the <c>_error</c> queue" checks; poll, since the
    /// management API's counts lag by a few seconds.
    /// </summary>
    public async Task<long?> GetMessageCountAsync(string vhost, string queue)
    {
        using var response = await Management.GetAsync($"api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<QueueInfo>();
        return info?.Messages;
    }

    /// <summary>Polls until <paramref name="queue"/> holds at least <paramref name="atLeast"/> messages; returns the count.</summary>
    public async Task<long> WaitForMessageCountAsync(string vhost, string queue, long atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long? count;
        while ((count = await GetMessageCountAsync(vhost, queue)) is not { } n || n < atLeast)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"Queue '{queue}' in vhost '{vhost}' has {(count?.ToString() ?? "no queue")} message(s) after {timeout}; expected at least {atLeast}.");
            }

            await Task.Delay(250);
        }

        return count.Value;
    }

    public async Task DisposeAsync()
    {
        _management?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>The user and password a URI carries (unescaped), or RabbitMQ's guest/guest when it carries none.</summary>
    internal static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }
}

/// <summary>A queue as the RabbitMQ management API describes it (the fields tests need).</summary>
public sealed record QueueInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    [property: JsonPropertyName("messages")] long Messages,
    [property: JsonPropertyName("messages_ready")] long MessagesReady,
    [property: JsonPropertyName("messages_unacknowledged")] long MessagesUnacknowledged,
    [property: JsonPropertyName("consumers")] int Consumers);
