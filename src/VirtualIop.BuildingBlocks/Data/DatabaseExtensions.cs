using System.Reflection;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VirtualIop.BuildingBlocks.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's own database: a pooled, traced NpgsqlDataSource (Aspire.Npgsql) from
    /// ConnectionStrings:{connectionName}, and DbUp migrations of the building blocks' and the service's scripts.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string connectionName, Assembly serviceAssembly)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");

        DapperConventions.Apply();
        builder.AddNpgsqlDataSource(connectionName);
        builder.Services.AddHostedService(sp => new DatabaseMigrator(
            connectionString,
            [typeof(DatabaseExtensions).Assembly, serviceAssembly],
            sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
        return builder;
    }
}
