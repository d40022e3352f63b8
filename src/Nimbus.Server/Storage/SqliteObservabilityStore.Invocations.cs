using Dapper;
using Nimbus.Core.Invocations;
using Nimbus.Core.Telemetry;

namespace Nimbus.Server.Storage;

/// <summary>
/// Invocation records, read from <c>invocation_spans</c>: since schema 5 a finished invocation is one row here and none
/// in <c>nimbus.db</c> (docs/design/warm-path.md, session 16). Bounded by the invocation retention through
/// <see cref="ITelemetryTableStore"/> (<see cref="TelemetryTable.InvocationSpans"/>, times in microseconds).
/// </summary>
public sealed partial class SqliteObservabilityStore
{
    /// <summary>
    /// The function's most recent invocations, newest first (by arrival, then request id), at most
    /// <paramref name="limit"/>. Attempts of one async event share a request id; only the latest is listed, as the
    /// upsert of <c>nimbus.db</c> kept it.
    /// </summary>
    public Task<IReadOnlyList<InvocationRecord>> ListInvocationsAsync(string functionName, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<InvocationRecord> records = Read(connection =>
        {
            var listed = new List<InvocationRecord>(Math.Min(limit, 1000));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            // Retries are rare, so one page is almost always enough; read on while attempts took places in it.
            var page = limit + 16;
            for (var offset = 0; listed.Count < limit; offset += page)
            {
                var rows = connection.Query<InvocationSpanRow>(
                    $"""
                    SELECT {InvocationSpanColumns} FROM invocation_spans WHERE function = @functionName
                    ORDER BY start DESC, request_id DESC LIMIT @page OFFSET @offset
                    """, new { functionName, page, offset }).ToList();
                foreach (var row in rows)
                {
                    if (listed.Count < limit && seen.Add(row.RequestId))
                    {
                        listed.Add(row.ToRecord());
                    }
                }

                if (rows.Count < page)
                {
                    break;
                }
            }

            return listed;
        });
        return Task.FromResult(records);
    }

    public Task<int> DeleteTelemetryOlderThanAsync(TelemetryTable table, DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        CheckTable(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var before = ToMicros(cutoff);
        return Task.FromResult(Write((connection, transaction) => TelemetryTableSql.DeleteOlderThan(connection, transaction, table, before, limit)));
    }

    public Task<int> DeleteOldestTelemetryAsync(TelemetryTable table, int count, CancellationToken cancellationToken)
    {
        CheckTable(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write((connection, transaction) => TelemetryTableSql.DeleteOldest(connection, transaction, table, count)));
    }

    public Task<TableUsage> MeasureTelemetryAsync(TelemetryTable table, CancellationToken cancellationToken)
    {
        CheckTable(table);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(connection => TelemetryTableSql.Measure(connection, table)));
    }

    private static void CheckTable(TelemetryTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table != TelemetryTable.InvocationSpans)
        {
            throw new ArgumentException($"'{table.Name}' is not a telemetry table of observability.db", nameof(table));
        }
    }
}
