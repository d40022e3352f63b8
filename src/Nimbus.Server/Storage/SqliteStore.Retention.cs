using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Storage;

/// <summary>Retention of the telemetry tables: measure, and delete in bounded chunks, one short transaction each.</summary>
public sealed partial class SqliteStore
{
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
        return WriteAsync((connection, transaction) => TelemetryTableSql.DeleteOlderThan(connection, transaction, table, before, limit), cancellationToken);
    }

    /// <summary>Deletes the <paramref name="count"/> earliest stored rows (rowid order) in one transaction; returns how many went.</summary>
    public Task<int> DeleteOldestTelemetryAsync(TelemetryTable table, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return WriteAsync((connection, transaction) => TelemetryTableSql.DeleteOldest(connection, transaction, table, count), cancellationToken);
    }

    /// <summary>The table's rows and an estimate of its bytes (<see cref="TelemetryTableSql.Measure"/>), on a reader connection.</summary>
    public Task<TableUsage> MeasureTelemetryAsync(TelemetryTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return ReadAsync(connection => TelemetryTableSql.Measure(connection, table), cancellationToken);
    }
}
