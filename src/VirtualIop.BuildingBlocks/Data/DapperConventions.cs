using System.Data;
using Dapper;

namespace VirtualIop.BuildingBlocks.Data;

/// <summary>
/// Columns are snake_case and instants are timestamptz. Npgsql reads timestamptz as a UTC DateTime and
/// refuses to write a DateTimeOffset whose offset is not zero, so both directions are normalised here once.
/// </summary>
public static class DapperConventions
{
    static int applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());
    }

    sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset dto => dto,
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            _ => throw new DataException($"Cannot read {value.GetType()} as an instant.")
        };
    }
}
