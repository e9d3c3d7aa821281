using Microsoft.Extensions.Configuration;

/// <summary>What the services need from the infrastructure, whichever way it runs.</summary>
/// <param name="Databases">Connection-string resources by name (schedulingdb, attendancedb, ...).</param>
/// <param name="Broker">The <c>rabbitmq</c> connection string (amqp URI).</param>
/// <param name="Servers">Resources a service must wait for (healthy) before it starts.</param>
/// <param name="DataDirectory">Root folder for local data and the resource URLs file.</param>
internal sealed record Infrastructure(
    IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases,
    IResourceBuilder<IResourceWithConnectionString> Broker,
    IReadOnlyList<IResourceBuilder<IResource>> Servers,
    string DataDirectory);

internal static class InfrastructureExtensions
{
    /// <summary>Service database connection-string names and the database each points at.</summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceDatabases = new Dictionary<string, string>
    {
        ["schedulingdb"] = "scheduling",
        ["attendancedb"] = "attendance",
        ["notificationdb"] = "notification",
        ["engagementdb"] = "engagement",
    };

    public static Infrastructure AddVirtualIopInfrastructure(this IDistributedApplicationBuilder builder)
    {
        // Local data (PostgreSQL cluster, RabbitMQ node, resource URLs file). Default: <repo>/.data (gitignored).
        var dataDirectory = Path.GetFullPath(
            builder.Configuration["LocalInfra:DataDirectory"] is { Length: > 0 } configured
                ? configured
                : Path.Combine(builder.AppHostDirectory, "..", ".data"));
        Directory.CreateDirectory(dataDirectory);

        return InfrastructureMode.UseContainers(builder.Configuration)
            ? builder.AddContainerInfrastructure(dataDirectory)
            : builder.AddLocalInfrastructure(dataDirectory);
    }

    /// <summary>
    /// Adds a service project: its database and the broker (referenced and waited for), a real
    /// health check, the dev token signing key, and its <c>Services:&lt;name&gt;</c> configuration.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        string databaseConnectionName,
        Infrastructure infrastructure,
        IResourceBuilder<ParameterResource> signingKey)
        where TProject : IProjectMetadata, new()
    {
        var database = infrastructure.Databases[databaseConnectionName];
        var service = builder.AddProject<TProject>(name, launchProfileName: "http")
            .WithHttpHealthCheck("/health")
            .WithReference(database).WaitFor(database)
            .WithReference(infrastructure.Broker).WaitFor(infrastructure.Broker)
            .WithEnvironment("Auth__SigningKey", signingKey)
            .WithServiceConfiguration();
        foreach (var server in infrastructure.Servers)
        {
            service.WaitFor(server);
        }

        return service;
    }

    /// <summary>
    /// Generic configuration passthrough, so tests (and developers) can change a service's settings
    /// without touching its appsettings: every key under the AppHost configuration section
    /// <c>Services:&lt;resourceName&gt;</c> becomes an environment variable of that project, with ':'
    /// turned into '__'. Example: AppHost argument
    /// <c>--Services:notification:Notification:ReminderOffsets=00:01:00</c> gives the notification
    /// service <c>Notification__ReminderOffsets=00:01:00</c>, i.e. its config key
    /// <c>Notification:ReminderOffsets</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceConfiguration(this IResourceBuilder<ProjectResource> project)
    {
        var section = project.ApplicationBuilder.Configuration.GetSection($"Services:{project.Resource.Name}");
        return project.WithEnvironment(context =>
        {
            foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
            {
                if (value is not null)
                {
                    context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });
    }
}
