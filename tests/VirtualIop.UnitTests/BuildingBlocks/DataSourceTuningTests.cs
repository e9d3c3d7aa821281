using Npgsql;
using VirtualIop.BuildingBlocks.Data;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class DataSourceTuningTests
{
    [Fact]
    public void A_plain_connection_string_gets_automatic_preparation_and_no_reset_on_close()
    {
        var dataSource = new NpgsqlDataSourceBuilder("Host=db;Database=schedulingdb;Username=app");

        DatabaseExtensions.TuneForShortTransactions(dataSource);

        Assert.Equal(DatabaseExtensions.DefaultMaxAutoPrepare, dataSource.ConnectionStringBuilder.MaxAutoPrepare);
        Assert.True(dataSource.ConnectionStringBuilder.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;Database=schedulingdb;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;Database=schedulingdb;maxautoprepare=0;NoResetOnClose=false")]
    public void Settings_the_connection_string_names_itself_are_kept(string connectionString)
    {
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);

        DatabaseExtensions.TuneForShortTransactions(dataSource);

        Assert.Equal(0, dataSource.ConnectionStringBuilder.MaxAutoPrepare);
        Assert.False(dataSource.ConnectionStringBuilder.NoResetOnClose);
    }
}
