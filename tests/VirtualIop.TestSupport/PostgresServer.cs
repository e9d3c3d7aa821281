using Npgsql;
using Testcontainers.PostgreSql;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>
/// A PostgreSQL server for integration tests (use as an xunit class or collection fixture).
/// From <see cref="TestEnvironment.Postgres"/> when set (scripts/test.sh), else a Testcontainers
/// PostgreSQL when Docker is available, else <see cref="InitializeAsync"/> fails with what to do.
/// Every test gets its own database, so test classes and assemblies can run in parallel.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    PostgreSqlContainer? _container;
    string? _connectionString;

    /// <summary>Connection string to the server's maintenance database (<c>postgres</c>) as superuser.</summary>
    public string ConnectionString => _connectionString
        ?? throw new InvalidOperationException("PostgresServer is not initialised yet.");

    public async Task InitializeAsync()
    {
        if (TestEnvironment.Get(TestEnvironment.Postgres) is { } fromEnvironment)
        {
            _connectionString = fromEnvironment;
            return;
        }

        if (!TestEnvironment.IsDockerAvailable)
        {
            throw TestEnvironment.Unavailable("PostgreSQL server", TestEnvironment.Postgres);
        }

        _container = new PostgreSqlBuilder("postgres:15-alpine")
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300")
            .Build();
        await _container.StartAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(_container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
    }

    /// <summary>
    /// A connection string to a new, unique database name that does NOT exist yet: the service under test
    /// creates its database at start-up, exactly as in production. Use <see cref="CreateDatabaseAsync"/>
    /// when the test needs the database to exist first.
    /// </summary>
    public string NewDatabaseConnectionString(string prefix) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = TestEnvironment.UniqueName(prefix) }.ConnectionString;

    /// <summary>Drops a test's database, closing what still holds it. Best effort, as it runs at tear-down.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (string.IsNullOrEmpty(database) || database == "postgres") return;
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Left for the throwaway server to take with it.
        }
    }

    /// <summary>Creates a new, unique, empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = NewDatabaseConnectionString(prefix);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>Whether a database exists (e.g. to check that a service created its own).</summary>
    public async Task<bool> DatabaseExistsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        return await command.ExecuteScalarAsync() is not null;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
