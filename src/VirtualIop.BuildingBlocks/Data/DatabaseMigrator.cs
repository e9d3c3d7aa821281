using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace VirtualIop.BuildingBlocks.Data;

/// <summary>
/// Creates the service's database when missing and runs its embedded DbUp scripts before anything
/// else starts (StartingAsync runs ahead of every hosted service's StartAsync, the bus and workers included).
/// An advisory lock keeps replicas that start together from migrating at once.
/// </summary>
public sealed class DatabaseMigrator(string connectionString, IReadOnlyList<Assembly> scriptAssemblies, ILogger<DatabaseMigrator> logger)
    : IHostedLifecycleService
{
    const long MigrationLockKey = 0x5649_4f50; // "VIOP"

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await EnsureDatabaseExists(cancellationToken);

        // Session-level lock on an unpooled connection: closing it really ends the session, so the lock can
        // never outlive the migration inside a pooled connection.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var lockConnection = new NpgsqlConnection(lockConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand($"select pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            Migrate();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // Building blocks first (outbox, inbox), then the service's own scripts, each pass in name order.
    void Migrate()
    {
        foreach (var assembly in scriptAssemblies)
        {
            var result = DeployChanges.To.PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(assembly, name => name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                .WithTransactionPerScript()
                .LogTo(new MigrationLog(logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
            }
        }
    }

    async Task EnsureDatabaseExists(CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new() { Value = target.Database } }
        };
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        try
        {
            var name = new NpgsqlCommandBuilder().QuoteIdentifier(target.Database!);
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Created database {Database}", target.Database);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it first.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    sealed class MigrationLog(ILogger logger) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Migration}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Migration}", string.Format(format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Migration}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Migration}", string.Format(format, args));
    }
}
