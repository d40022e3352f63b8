using Dapper;
using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Storage;

/// <summary>Retention of the telemetry tables: measure, and delete in bounded chunks, one short transaction each.</summary>
public sealed partial class SqliteStore
{
    /// <summary>What a row costs beyond its values: record header, rowid, page slot and its entries in two indexes, roughly.</summary>
    public const int TelemetryRowOverhead = 64;

    /// <summary>
    /// Deletes at most <paramref name="limit"/> rows whose time is before <paramref name="cutoff"/>, in one transaction,
    /// walking the (partition, time) index one partition at a time. Returns how many went; fewer than the limit means
    /// none older is left.
    /// </summary>
    public Task<int> DeleteTelemetryOlderThanAsync(TelemetryTable table, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var before = SqliteRows.ToUnixMs(cutoff);
        return WriteAsync((connection, transaction) =>
        {
            var deleted = 0;
            string? partition = null;
            // Each step finds the next partition value by the index (no scan of the table), then deletes its old rows.
            while (deleted < limit)
            {
                partition = connection.ExecuteScalar<string?>(
                    $"SELECT min({table.PartitionColumn}) FROM {table.Name} WHERE {table.PartitionColumn} > @partition",
                    new { partition = partition ?? "" }, transaction);
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
        }, cancellationToken);
    }

    /// <summary>Deletes the <paramref name="count"/> earliest stored rows (rowid order) in one transaction; returns how many went.</summary>
    public Task<int> DeleteOldestTelemetryAsync(TelemetryTable table, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return WriteAsync((connection, transaction) => connection.Execute(
            $"DELETE FROM {table.Name} WHERE rowid IN (SELECT rowid FROM {table.Name} ORDER BY rowid LIMIT @count)",
            new { count }, transaction), cancellationToken);
    }

    /// <summary>
    /// Rows of the table and an estimate of the bytes it takes: the row count times the average stored length of its
    /// 1,000 most recent rows, plus <see cref="TelemetryRowOverhead"/> per row. (The bundled SQLite has no <c>dbstat</c>
    /// to measure pages, and summing the lengths of every row would read the whole table every tick.)
    /// Runs on a reader connection: it does not hold up writers.
    /// </summary>
    public Task<TableUsage> MeasureTelemetryAsync(TelemetryTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return ReadAsync(connection =>
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
            return new TableUsage(rows, (long)Math.Ceiling(rows * (average + TelemetryRowOverhead)));
        }, cancellationToken);
    }
}
