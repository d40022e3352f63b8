using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Storage;

/// <summary>
/// The retention statements of a telemetry table, on whichever SQLite file holds it (<c>nimbus.db</c> for logs,
/// <c>observability.db</c> for invocations): delete by age one partition at a time along the (partition, time) index,
/// delete the earliest stored rows, and measure. The caller supplies the connection and, for writes, its transaction.
/// </summary>
internal static class TelemetryTableSql
{
    /// <summary>What a row costs beyond its values: record header, rowid, page slot and its entries in two indexes, roughly.</summary>
    public const int RowOverhead = 64;

    /// <summary>
    /// Deletes at most <paramref name="limit"/> rows whose time column is below <paramref name="before"/> (in the
    /// table's own unit). Returns how many went; fewer than the limit means none older is left.
    /// </summary>
    public static int DeleteOlderThan(SqliteConnection connection, SqliteTransaction transaction, TelemetryTable table, long before, int limit)
    {
        var deleted = 0;
        string? partition = null;
        // Each step finds the next partition value by the index (no scan of the table), then deletes its old rows.
        while (deleted < limit)
        {
            partition = NextPartition(connection, transaction, table, partition ?? "");
            if (partition is null)
            {
                break;
            }

            deleted += connection.Execute(
                $"""
                DELETE FROM {table.Name} WHERE rowid IN (
                    SELECT rowid FROM {table.Name} WHERE {table.PartitionColumn} = @partition AND {table.TimeColumn} < @before LIMIT @remaining)
                """,
                new { partition, before, remaining = limit - deleted }, transaction);
        }

        return deleted;
    }

    /// <summary>
    /// The smallest partition value (function) above <paramref name="previous"/>, found by the (partition, time) index:
    /// one lookup, no scan. Walking from "" visits every partition of the table.
    /// </summary>
    public static string? NextPartition(SqliteConnection connection, SqliteTransaction? transaction, TelemetryTable table, string previous) =>
        connection.ExecuteScalar<string?>(
            $"SELECT min({table.PartitionColumn}) FROM {table.Name} WHERE {table.PartitionColumn} > @previous", new { previous }, transaction);

    /// <summary>Deletes the <paramref name="count"/> earliest stored rows (rowid order); returns how many went.</summary>
    public static int DeleteOldest(SqliteConnection connection, SqliteTransaction transaction, TelemetryTable table, int count) =>
        connection.Execute($"DELETE FROM {table.Name} WHERE rowid IN (SELECT rowid FROM {table.Name} ORDER BY rowid LIMIT @count)", new { count }, transaction);

    /// <summary>
    /// Rows of the table and an estimate of the bytes it takes: the row count times the average stored length of its
    /// 1,000 most recent rows, plus <see cref="RowOverhead"/> per row. (The bundled SQLite has no <c>dbstat</c> to measure
    /// pages, and summing the lengths of every row would read the whole table every tick.)
    /// </summary>
    public static TableUsage Measure(SqliteConnection connection, TelemetryTable table)
    {
        var rows = connection.ExecuteScalar<long>($"SELECT count(*) FROM {table.Name}");
        if (rows == 0)
        {
            return new TableUsage(0, 0);
        }

        var columns = connection.Query<string>("SELECT name FROM pragma_table_info(@table)", new { table = table.Name });
        var length = string.Join(" + ", columns.Select(column => $"coalesce(length(CAST({column} AS BLOB)), 0)"));
        var average = connection.ExecuteScalar<double?>(
            $"SELECT avg({length}) FROM (SELECT * FROM {table.Name} ORDER BY rowid DESC LIMIT 1000)") ?? 0;
        return new TableUsage(rows, (long)Math.Ceiling(rows * (average + RowOverhead)));
    }
}
