using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

/// <summary>
/// Infrastructure as local executables (no container runtime: this machine and CI). PostgreSQL and
/// a private RabbitMQ node run from the scripts in infra/, each with its own folder under the data
/// directory and on ports that the orchestrator picks at run time (injected through env vars).
/// Each has a registered health check, so dependants start only once the server answers.
/// </summary>
internal static class LocalInfrastructure
{
    public static Infrastructure AddLocalInfrastructure(this IDistributedApplicationBuilder builder, string dataDirectory)
    {
        var infraScripts = Path.Combine(builder.AppHostDirectory, "infra");
        var (postgres, databases) = builder.AddLocalPostgres(infraScripts, Path.Combine(dataDirectory, "postgres"));
        var rabbitmq = builder.AddLocalRabbitMq(infraScripts, Path.Combine(dataDirectory, "rabbitmq"));
        return new Infrastructure(databases, rabbitmq, [postgres, rabbitmq], dataDirectory);
    }

    private static (IResourceBuilder<LocalServerResource> Server, Dictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases)
        AddLocalPostgres(this IDistributedApplicationBuilder builder, string infraScripts, string dataDirectory)
    {
        // Alphanumeric: it goes into connection strings unquoted. Re-applied by postgres.sh on every start.
        var password = builder.AddParameter(
            "postgres-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);

        // Durable settings on this path (no fsync=off): it is the developer's data.
        var postgres = builder.AddLocalServer("postgres", Path.Combine(infraScripts, "postgres.sh"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT")
            .WithEnvironment("PGDATA", dataDirectory)
            .WithEnvironment("POSTGRES_PASSWORD", password);
        var endpoint = postgres.GetEndpoint("tcp");

        ReferenceExpression ConnectionString(string database) => ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={password};Database={database}");

        // Its own connection string: the server's "postgres" database, as superuser (handy for tools).
        postgres.Resource.ConnectionString = ConnectionString("postgres");

        var healthCheckKey = "postgres_check";
        var adminConnectionString = new ResolvedValue(ConnectionString("postgres"));
        builder.Eventing.Subscribe<ResourceEndpointsAllocatedEvent>(postgres.Resource, adminConnectionString.ResolveAsync);
        builder.Services.AddHealthChecks().AddNpgSql(_ => adminConnectionString.Value, name: healthCheckKey);
        postgres.WithHealthCheck(healthCheckKey);

        // The services create their database at start-up when it is missing.
        var databases = InfrastructureExtensions.ServiceDatabases.ToDictionary(
            entry => entry.Key,
            entry => (IResourceBuilder<IResourceWithConnectionString>)builder.AddConnectionString(entry.Key, ConnectionString(entry.Value)));
        return (postgres, databases);
    }

    private static IResourceBuilder<LocalServerResource>
        AddLocalRabbitMq(this IDistributedApplicationBuilder builder, string infraScripts, string dataDirectory)
    {
        // Alphanumeric: it goes into an amqp URI. rabbitmq.sh (re)creates the user on every start.
        const string user = "virtualiop";
        var password = builder.AddParameter(
            "rabbitmq-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);

        var rabbitmq = builder.AddLocalServer("rabbitmq", Path.Combine(infraScripts, "rabbitmq.sh"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "RABBITMQ_NODE_PORT")
            // Erlang distribution (rabbitmqctl talks to the node through it): nobody else connects.
            .WithEndpoint(name: "dist", scheme: "tcp", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithHttpEndpoint(name: "management", env: "RABBITMQ_MANAGEMENT_PORT")
            .WithEnvironment("RABBITMQ_BASE_DIR", dataDirectory)
            .WithEnvironment("RABBITMQ_APP_USER", user)
            .WithEnvironment("RABBITMQ_APP_PASSWORD", password)
            .WithUrlForEndpoint("management", url => url.DisplayText = "Management UI");
        var endpoint = rabbitmq.GetEndpoint("tcp");

        var uri = rabbitmq.Resource.ConnectionString = ReferenceExpression.Create(
            $"amqp://{user}:{password}@{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}/");

        var healthCheckKey = "rabbitmq_check";
        var resolvedUri = new ResolvedValue(uri);
        builder.Eventing.Subscribe<ResourceEndpointsAllocatedEvent>(rabbitmq.Resource, resolvedUri.ResolveAsync);
        IConnection? connection = null;
        builder.Services.AddHealthChecks().AddRabbitMQ(
            async _ =>
            {
                // One long-lived connection; a new one only after it has closed (or never opened).
                if (connection is not { IsOpen: true })
                {
                    connection = await new ConnectionFactory { Uri = new Uri(resolvedUri.Value) }.CreateConnectionAsync();
                }

                return connection;
            },
            name: healthCheckKey);
        rabbitmq.WithHealthCheck(healthCheckKey);

        return rabbitmq;
    }

    private static IResourceBuilder<LocalServerResource> AddLocalServer(
        this IDistributedApplicationBuilder builder, string name, string script)
        => builder.AddResource(new LocalServerResource(name, "bash", Path.GetDirectoryName(script)!))
            .WithArgs(script);

    /// <summary>A reference expression resolved once the endpoints are allocated, for the (synchronous) health-check factories.</summary>
    private sealed class ResolvedValue(ReferenceExpression expression)
    {
        private string? _value;

        public string Value => _value
            ?? throw new InvalidOperationException($"'{expression.ValueExpression}' is not resolved yet (endpoints not allocated).");

        public async Task ResolveAsync(ResourceEndpointsAllocatedEvent _, CancellationToken cancellationToken)
            => _value = await expression.GetValueAsync(cancellationToken);
    }
}

/// <summary>
/// A server run from a script (an executable resource) that also has a connection string, so that
/// <c>WithReference</c> hands it out under the resource's own name and <c>WaitFor</c> waits for its health check.
/// </summary>
internal sealed class LocalServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression? ConnectionString { get; set; }

    public ReferenceExpression ConnectionStringExpression => ConnectionString
        ?? throw new InvalidOperationException($"Resource '{Name}' has no connection string.");
}
