using Microsoft.Data.Sqlite;

namespace Berth.Images.Metadata;

/// <summary>Small helpers over Microsoft.Data.Sqlite commands: typed parameters, no reflection.</summary>
internal static class Sql
{
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>ROLLBACK that tolerates SQLite having rolled back already (it does on some errors: full disk, I/O).</summary>
    public static void Rollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
        }
    }

    public static SqliteCommand With(this SqliteCommand command, string name, string? value)
    {
        command.Parameters.Add(name, SqliteType.Text).Value = value is null ? DBNull.Value : value;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, long value)
    {
        command.Parameters.Add(name, SqliteType.Integer).Value = value;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, long? value)
    {
        command.Parameters.Add(name, SqliteType.Integer).Value = value is { } v ? v : DBNull.Value;
        return command;
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}

/// <summary>Times in the database: unix nanoseconds, exact for every DateTimeOffset tick until 2262.</summary>
internal static class SqlTime
{
    public static long ToNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static DateTimeOffset FromNanos(long nanos) => new(DateTimeOffset.UnixEpoch.UtcTicks + nanos / 100, TimeSpan.Zero);

    public static long? ToNanos(DateTimeOffset? time) => time is { } t ? ToNanos(t) : null;

    public static DateTimeOffset? FromNanos(long? nanos) => nanos is { } n ? FromNanos(n) : null;
}
