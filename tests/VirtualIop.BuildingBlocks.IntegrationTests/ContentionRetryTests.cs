using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

[Collection(MessagingCollection.Name)]
public sealed class ContentionRetryTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_transactions_that_deadlock_both_commit_the_one_postgres_aborts_running_again()
    {
        var connectionString = await postgres.CreateDatabaseAsync("contention");
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.ExecuteAsync("create table counter (id int primary key, value int not null); insert into counter values (1, 0), (2, 0);");
        }
        // Each first attempt locks one row, waits until the other holds its row, then asks for the other's: a certain
        // deadlock, which PostgreSQL settles by aborting one transaction with 40P01.
        using var bothHoldOne = new Barrier(2);
        var attempts = 0;

        async ValueTask<int> Transfer(int first, int second, CancellationToken ct)
        {
            var attempt = Interlocked.Increment(ref attempts);
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await conn.ExecuteAsync("update counter set value = value + 1 where id = @Id", new { Id = first }, tx);
            if (attempt <= 2) await Task.Run(() => bothHoldOne.SignalAndWait(TimeSpan.FromSeconds(30)), ct);
            await conn.ExecuteAsync("update counter set value = value + 1 where id = @Id", new { Id = second }, tx);
            await tx.CommitAsync(ct);
            return attempt;
        }

        await Task.WhenAll(
            ContentionRetry.Run(ct => Transfer(1, 2, ct), CancellationToken.None).AsTask(),
            ContentionRetry.Run(ct => Transfer(2, 1, ct), CancellationToken.None).AsTask());

        await using var read = new NpgsqlConnection(connectionString);
        var values = (await read.QueryAsync<int>("select value from counter order by id")).ToArray();
        Assert.Equal(new[] { 2, 2 }, values);
        Assert.Equal(3, attempts);
    }
}
