using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

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
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: TuneForShortTransactions);
        builder.Services.AddHostedService(sp => new DatabaseMigrator(
            connectionString,
            [typeof(DatabaseExtensions).Assembly, serviceAssembly],
            sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
        return builder;
    }

    /// <summary>Statements prepared automatically per pooled connection, unless the connection string sets <c>Max Auto Prepare</c> itself.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// Tunes the pool for what every service does: many short transactions of a few dozen fixed statements (an inbox row
    /// and an effect per event, a relay claim per pass), each on a connection taken from the pool and given back.
    /// <list type="bullet">
    /// <item>Npgsql prepares the statements it sees repeatedly, so PostgreSQL stops parsing and planning them on every
    /// call.</item>
    /// <item>A connection given back is not reset (<c>No Reset On Close</c>): the reset is a round of statements
    /// (DISCARD or RESET ALL, CLOSE ALL, UNLISTEN) that PostgreSQL runs before the next use, for state no code here
    /// leaves behind: settings are only ever <c>set local</c>, advisory locks only transaction-scoped (the migrator's
    /// session lock is on an unpooled connection), and no temporary tables or LISTEN. An open transaction is still
    /// rolled back.</item>
    /// </list>
    /// Together they made the event pipeline a fifth faster (PipelineBenchmark). A connection string that names either
    /// setting wins, such as <c>Max Auto Prepare=0</c> behind a pooler in transaction mode that cannot keep prepared statements.
    /// </summary>
    public static void TuneForShortTransactions(NpgsqlDataSourceBuilder dataSource)
    {
        var connection = dataSource.ConnectionString;
        if (!Names(connection, "max auto prepare")) dataSource.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        if (!Names(connection, "no reset on close")) dataSource.ConnectionStringBuilder.NoResetOnClose = true;
    }

    /// <summary>True when <paramref name="connectionString"/> sets <paramref name="keyword"/> (spaces in it optional, any case).</summary>
    static bool Names(string connectionString, string keyword) =>
        Regex.IsMatch(connectionString, @"(^|;)\s*" + keyword.Replace(" ", @"\s*") + @"\s*=", RegexOptions.IgnoreCase);
}
