using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;

namespace Nimbus.Server.Storage;

/// <summary>
/// An invocation's START, END and REPORT lines kept in its <c>invocation_spans</c> row (schema 6) instead of a folded row
/// of <c>nimbus.db</c>'s logs table: the writer then stores one row per invocation, not two (docs/design/warm-path.md,
/// "Platform lines stored with the record"). The row's id is its REPORT line's log id (END's is one less), and rows
/// without lines take ids of the log sequence too, so a follower's read by id is an id range, as on the logs table;
/// <see cref="SqliteStore"/> reads these rows beside its own.
/// </summary>
public sealed partial class SqliteObservabilityStore : ILogRowSource
{
    /// <summary>END's time (ms), START's id and time when the START came in the same batch, the REPORT line, the request key.</summary>
    private const string PlatformLogColumnsSchema =
        "log_time INTEGER, log_start_id INTEGER, log_start_time INTEGER, log_report TEXT, request_key INTEGER";

    /// <summary>
    /// Newest-first reads go by function and time (then id, the rowid every index ends with), the lines of one invocation
    /// by its request key (<see cref="RequestKeys"/>: an integer in arrival order, where the id's text would cost an
    /// index entry twice the size and a string comparison per level). Only rows that hold lines are indexed.
    /// </summary>
    private const string PlatformLogIndexes =
        """
        CREATE INDEX IF NOT EXISTS invocation_spans_by_log_time ON invocation_spans (function, log_time) WHERE log_time IS NOT NULL;
        CREATE INDEX IF NOT EXISTS invocation_spans_by_request_key ON invocation_spans (request_key) WHERE log_time IS NOT NULL;
        """;

    /// <summary>The rows with lines, under the logs table's column names (<see cref="SqliteRows.LogColumns"/>).</summary>
    private const string PlatformLogRows =
        """
        SELECT id, log_time AS time, function AS function_name, version, request_id, trace_id, 'INFO' AS level,
            'platform' AS stream, coalesce(log_report, nimbus_report(request_id, duration_ms, memory_size_mb, max_memory_used_mb, init_duration_ms, outcome, error_type)) AS message, NULL AS fields_json, CASE WHEN log_start_id IS NULL THEN 1 ELSE 2 END AS frame,
            log_start_id AS start_id, log_start_time AS start_time, request_key
        FROM invocation_spans WHERE log_time IS NOT NULL
        """;

    /// <summary>
    /// <c>nimbus_report(request_id, duration_ms, memory_size_mb, max_memory_used_mb, init_duration_ms, outcome, error_type)</c>:
    /// the REPORT line of a row that keeps none (<see cref="StoredReport"/>), built by the code that built it when the
    /// invocation finished, so reads and text filters see the same characters. Never throws: a value that is not what the
    /// writer stores gives a line all the same (a missing number reads as 0, an unknown outcome as an error).
    /// </summary>
    private static void AddReportFunction(SqliteConnection connection) =>
        connection.CreateFunction<string?, double?, long?, long?, double?, string?, string?, string>("nimbus_report",
            static (requestId, durationMs, memorySizeMb, maxMemoryUsedMb, initDurationMs, outcome, errorType) =>
                PlatformLogLines.Report(requestId ?? "", durationMs ?? 0, (int)Math.Clamp(memorySizeMb ?? 0, int.MinValue, int.MaxValue),
                    maxMemoryUsedMb ?? 0, initDurationMs, PlatformLogLines.Status(ParseOutcome(outcome), errorType)),
            isDeterministic: true);

    /// <summary>The largest id of <c>invocation_spans</c>: ids of the log sequence given to its rows continue after it.</summary>
    public long LastId { get; private set; }

    public List<LogRow> ReadLogRows(string condition, string order, DynamicParameters parameters, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (requestId is not null)
        {
            condition += " AND request_key = @requestKey";
            parameters.Add("requestKey", RequestKeys.Of(requestId));
        }

        return Read(connection =>
        {
            using var reader = connection.ExecuteReader($"SELECT {SqliteRows.LogColumns} FROM ({PlatformLogRows}) WHERE {condition} ORDER BY {order} LIMIT @limit",
                parameters);
            var rows = new List<LogRow>();
            while (reader.Read())
            {
                rows.Add(SqliteRows.LogRow(reader));
            }

            return rows;
        });
    }

    /// <summary>
    /// Schema 6: a schema-5 <c>invocation_spans</c> (no id column, no lines) is copied once into the table with its id,
    /// keeping each row's rowid as its id (they are below every log id the writer gives out: it starts after the largest
    /// id here). An explicit id column, not the bare rowid, because <c>VACUUM</c> may renumber rowids that no column names.
    /// Then the indexes.
    /// </summary>
    private void RebuildInvocationSpans(SqliteConnection writer, SqliteTransaction transaction)
    {
        var definition = writer.ExecuteScalar<string?>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'invocation_spans'",
            transaction: transaction);
        if (definition is not null && !definition.Contains("id INTEGER PRIMARY KEY", StringComparison.Ordinal))
        {
            const string columns = "trace_id, span_id, parent_span_id, start, duration, error, phase_count, function, version, alias, request_id, "
                + "handed_over, duration_ms, init_duration_ms, cold_start, outcome, error_type, memory_size_mb, max_memory_used_mb, source, hops";
            writer.Execute(
                $"""
                ALTER TABLE invocation_spans RENAME TO invocation_spans_v5;
                DROP INDEX IF EXISTS invocation_spans_by_trace;
                DROP INDEX IF EXISTS invocation_spans_by_function;
                {InvocationSpansSchema}
                INSERT INTO invocation_spans (id, {columns}) SELECT rowid, {columns} FROM invocation_spans_v5 ORDER BY rowid;
                DROP TABLE invocation_spans_v5;
                """, transaction: transaction);
        }
        else
        {
            writer.Execute(InvocationSpansSchema, transaction: transaction);
        }

        // The trace list reads invocations by (function, start) since schema 6; the `start` index of schema 5 goes.
        writer.Execute("DROP INDEX IF EXISTS invocation_spans_by_start;" + InvocationSpansIndexes + PlatformLogIndexes, transaction: transaction);
        LastId = writer.ExecuteScalar<long>("SELECT coalesce(max(id), 0) FROM invocation_spans", transaction: transaction);
    }
}
