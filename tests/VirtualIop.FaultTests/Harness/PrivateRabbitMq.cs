using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;

namespace VirtualIop.FaultTests.Harness;

/// <summary>
/// A RabbitMQ node of the suite's own (never the shared test broker), started from the local scripts through
/// VirtualIop.AppHost/infra/rabbitmq.sh with its own HOME, node name, ports and mnesia directory. <see cref="Kill"/>
/// is kill -9 of the node; <see cref="Start"/> brings the same node back with its durable queues. The epmd it may
/// have started is left running, as the other nodes on the machine share it.
/// </summary>
public sealed class PrivateRabbitMq
{
    readonly string repoRoot;
    readonly string directory;
    readonly int amqpPort = OsProcess.FreePort();
    readonly int distPort = OsProcess.FreePort();
    readonly int managementPort = OsProcess.FreePort();
    readonly string nodeName = $"virtualiop-fault-{Guid.NewGuid():N}"[..28] + "@localhost";
    readonly HttpClient management;
    OsProcess? node;

    public PrivateRabbitMq(string repoRoot, string directory)
    {
        this.repoRoot = repoRoot;
        this.directory = directory;
        management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:{amqpPort}/";

    public async Task Start()
    {
        var environment = new Dictionary<string, string>
        {
            ["RABBITMQ_BASE_DIR"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(),
            ["RABBITMQ_MANAGEMENT_PORT"] = managementPort.ToString(),
            ["RABBITMQ_NODENAME"] = nodeName,
        };
        node = OsProcess.Start("bash", [Path.Combine(repoRoot, "VirtualIop.AppHost", "infra", "rabbitmq.sh")], directory, environment,
            Path.Combine(directory, "rabbitmq.log"));
        await node.WaitUntil(async () => await Answers() && await AcceptsAmqp(), "RabbitMQ", TimeSpan.FromSeconds(180));
    }

    /// <summary>kill -9 of the node (the Erlang VM and its helpers): nothing is flushed, closed or handed over.</summary>
    public async Task Kill()
    {
        if (node is not null) await node.Kill();
    }

    /// <summary>
    /// Messages ready or unacknowledged in the consumers' queues (the _error queues apart, and the skipped ones),
    /// as the management API last sampled them.
    /// </summary>
    public async Task<long> MessagesInFlight()
    {
        var queues = await management.GetFromJsonAsync<List<QueueInfo>>("queues?columns=name,messages") ?? [];
        return queues.Where(q => !q.Name.EndsWith("_error", StringComparison.Ordinal) && !q.Name.EndsWith("_skipped", StringComparison.Ordinal))
            .Sum(q => q.Messages ?? 0);
    }

    /// <summary>Messages sitting in the _error queues: given up on by a consumer.</summary>
    public async Task<long> MessagesInErrorQueues()
    {
        var queues = await management.GetFromJsonAsync<List<QueueInfo>>("queues?columns=name,messages") ?? [];
        return queues.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal)).Sum(q => q.Messages ?? 0);
    }

    async Task<bool> Answers()
    {
        try
        {
            using var response = await management.GetAsync("overview");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    async Task<bool> AcceptsAmqp()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", amqpPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task Dispose()
    {
        await Kill();
        management.Dispose();
    }

    sealed record QueueInfo([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("messages")] long? Messages);
}
