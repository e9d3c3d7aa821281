using Npgsql;

namespace VirtualIop.FaultTests.Harness;

/// <summary>
/// A PostgreSQL server of the suite's own (never the shared test server), started from the local binaries through
/// VirtualIop.AppHost/infra/postgres.sh. Its data directory survives <see cref="Kill"/>, so <see cref="Start"/>
/// brings the same databases back (after crash recovery), on the same port, with the same password.
/// </summary>
public sealed class PrivatePostgres(string repoRoot, string directory, string name)
{
    readonly string password = Guid.NewGuid().ToString("N");
    readonly int port = OsProcess.FreePort();
    OsProcess? server;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database={database};Timeout=5;Command Timeout=30";

    public bool IsRunning => server is { HasExited: false };

    public async Task Start()
    {
        var environment = new Dictionary<string, string>
        {
            ["PGDATA"] = Path.Combine(directory, name),
            ["PGPORT"] = port.ToString(),
            ["POSTGRES_PASSWORD"] = password,
            ["POSTGRES_INITDB_ARGS"] = "--no-sync",
            // fsync off survives a kill -9 of the server (the OS page cache keeps what was written), so it is fine here.
            // synchronous_commit stays on: off, a commit is acknowledged before its WAL is written at all, so a killed
            // server forgets the last acknowledged commits (an inbox row, a send marked in flight) and the case would
            // count the server's broken promise, not the services'.
            ["POSTGRES_EXTRA_ARGS"] = "-c fsync=off -c full_page_writes=off",
        };
        server = OsProcess.Start("bash", [Path.Combine(repoRoot, "VirtualIop.AppHost", "infra", "postgres.sh")], directory, environment,
            Path.Combine(directory, name + ".log"));
        await server.WaitUntil(Answers, name, TimeSpan.FromSeconds(60));
    }

    /// <summary>kill -9 of the postmaster and every backend: a crash, not a shutdown.</summary>
    public async Task Kill()
    {
        if (server is not null) await server.Kill();
        NpgsqlConnection.ClearAllPools();
    }

    async Task<bool> Answers()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Runs a scalar query against one of the server's databases.</summary>
    public async Task<T> Scalar<T>(string database, string sql, Guid? clinic = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (clinic is { } id) command.Parameters.Add(new NpgsqlParameter("clinic", id));
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Counts rows of one of the server's databases per (uuid, uuid) key; the query selects key1, key2, count.</summary>
    public async Task<Dictionary<(Guid, Guid), long>> CountsByPair(string database, string sql, Guid clinic)
    {
        var counts = new Dictionary<(Guid, Guid), long>();
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("clinic", clinic) } };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[(reader.GetGuid(0), reader.GetGuid(1))] = reader.GetInt64(2);
        return counts;
    }

    public Task Dispose() => Kill();
}
