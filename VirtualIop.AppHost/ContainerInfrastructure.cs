/// <summary>Infrastructure as containers (any machine with a healthy Docker/Podman engine).</summary>
internal static class ContainerInfrastructure
{
    public static Infrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder, string dataDirectory)
    {
        var postgres = builder.AddPostgres("postgres");
        var databases = InfrastructureExtensions.ServiceDatabases.ToDictionary(
            entry => entry.Key,
            entry => (IResourceBuilder<IResourceWithConnectionString>)postgres.AddDatabase(entry.Key, entry.Value));

        var rabbitmq = builder.AddRabbitMQ("rabbitmq").WithManagementPlugin();

        return new Infrastructure(databases, rabbitmq, [postgres, rabbitmq], dataDirectory);
    }
}
