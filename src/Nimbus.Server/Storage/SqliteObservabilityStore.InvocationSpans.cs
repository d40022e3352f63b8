using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Tracing;

namespace Nimbus.Server.Storage;

/// <summary>
/// Invocations' own spans, kept as the invocation's fields in typed columns (<c>invocation_spans</c>) and built into
/// spans when a trace is read (<see cref="PlatformSpans.Invocation"/>), so the writer builds no attribute dictionary and
/// serialises no JSON per invocation: that was more than half of its CPU (docs/design/warm-path.md, session 16). Keyed
/// by (trace, span) like <c>spans</c>: an async retry reuses its request id but has a span of its own.
/// </summary>
public sealed partial class SqliteObservabilityStore : ITelemetryTableStore
{
    private const string InvocationSpansSchema =
        $"""
        CREATE TABLE IF NOT EXISTS invocation_spans (
            id INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT,
            start INTEGER NOT NULL, duration REAL NOT NULL, error INTEGER NOT NULL, phase_count INTEGER NOT NULL,
            function TEXT NOT NULL, version TEXT NOT NULL, alias TEXT, request_id TEXT NOT NULL, handed_over INTEGER NOT NULL,
            duration_ms REAL NOT NULL, init_duration_ms REAL, cold_start INTEGER NOT NULL, outcome TEXT NOT NULL, error_type TEXT,
            memory_size_mb INTEGER NOT NULL, max_memory_used_mb INTEGER NOT NULL, source TEXT, hops INTEGER NOT NULL,
            {PlatformLogColumnsSchema}
        );
        """;

    private const string InvocationSpansIndexes =
        """
        CREATE UNIQUE INDEX IF NOT EXISTS invocation_spans_by_trace ON invocation_spans (trace_id, span_id);
        CREATE INDEX IF NOT EXISTS invocation_spans_by_function ON invocation_spans (function, start);
        """;

    private SqliteBatchStatement? _invocationSpanInsert;

    /// <summary>The spans of finished invocations, one row each; records without a trace or a span id are skipped.</summary>
    public Task AppendInvocationSpansAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken) =>
        AppendInvocationSpansAsync(records, null, null, cancellationToken);

    /// <summary>
    /// As <see cref="AppendInvocationSpansAsync(IReadOnlyList{InvocationRecord}, CancellationToken)"/>, with the folded
    /// START/END/REPORT log row of a record stored in its row where <paramref name="platformRows"/> gives one (same
    /// index; see <see cref="PlatformRows.Match"/>), and each row's rowid from <paramref name="rowIds"/> (ids of the log
    /// sequence: a row with lines has its REPORT line's id). Those lines are then read from here (<see cref="ReadLogRows"/>).
    /// </summary>
    public Task AppendInvocationSpansAsync(IReadOnlyList<InvocationRecord> records, IReadOnlyList<LogRow?>? platformRows, IReadOnlyList<long>? rowIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        Write((connection, transaction) =>
        {
            // OR IGNORE, not OR REPLACE: with the rowid given as well as the (trace, span) key, a REPLACE could conflict on
            // either, and SQLite then copies every page a row touches into a statement journal first (measured: 35 MB of
            // temp-file writes in 3 s at 32 connections, the writer 15 µs per invocation instead of ~9). A (trace, span)
            // already stored is the same attempt written again; the first copy stays.
            var insert = _invocationSpanInsert ??= new SqliteBatchStatement(connection,
                """
                INSERT OR IGNORE INTO invocation_spans (trace_id, span_id, parent_span_id, start, duration, error, phase_count, function, version,
                    alias, request_id, handed_over, duration_ms, init_duration_ms, cold_start, outcome, error_type, memory_size_mb,
                    max_memory_used_mb, source, hops, id, log_time, log_start_id, log_start_time, log_report, request_key)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)
                """);
            var written = 0;
            foreach (var i in InsertOrder(records.Count, rowIds))
            {
                var record = records[i];
                if (record.TraceId is not { } traceId || record.SpanId is not { } spanId)
                {
                    continue;
                }

                var shape = PlatformSpans.Shape(record);
                insert.Text(1, traceId);
                insert.Text(2, spanId);
                insert.Text(3, record.ParentSpanId);
                insert.Integer(4, ToMicros(shape.Start));
                insert.Real(5, shape.DurationMs);
                insert.Integer(6, shape.Error ? 1 : 0);
                insert.Integer(7, shape.PhaseCount);
                insert.Text(8, record.FunctionName);
                insert.Text(9, record.Version);
                insert.Text(10, record.Alias);
                insert.Text(11, record.RequestId);
                insert.Integer(12, ToMicros(record.StartedAt));
                insert.Real(13, record.DurationMs);
                insert.Real(14, record.InitDurationMs);
                insert.Integer(15, record.ColdStart ? 1 : 0);
                insert.Text(16, SqliteRows.OutcomeText(record.Outcome));
                insert.Text(17, record.ErrorType);
                insert.Integer(18, record.MemorySizeMb);
                insert.Integer(19, record.MaxMemoryUsedMb);
                insert.Text(20, record.Source);
                insert.Integer(21, record.Hops);
                var row = platformRows is not null && i < platformRows.Count ? platformRows[i] : null;
                var withStart = row?.Frame == StoredFrame.StartEndReport;
                insert.Integer(22, row?.Id ?? (rowIds is not null && i < rowIds.Count ? rowIds[i] : null));
                insert.Integer(23, row is null ? null : SqliteRows.ToUnixMs(row.Line.Time));
                insert.Integer(24, withStart ? row!.StartId : null);
                insert.Integer(25, withStart ? SqliteRows.ToUnixMs(row!.StartTime) : null);
                insert.Text(26, row is null ? null : StoredReport(row.Line, record));
                insert.Integer(27, row is null ? null : RequestKeys.Of(record.RequestId));
                insert.Execute();
                written++;
            }

            LastId = connection.ExecuteScalar<long>("SELECT coalesce(max(id), 0) FROM invocation_spans", transaction: transaction);
            return written;
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// The REPORT text a row keeps: none when the record's own fields give the same line again
    /// (<see cref="PlatformLogLines.Report(InvocationRecord)"/>, built on read by <c>nimbus_report</c>), which is every
    /// invocation the server finished itself. The line was ~40 % of a row's bytes, and the writer's cost follows the
    /// bytes it writes (docs/design/warm-path.md, "REPORT lines built on read").
    /// </summary>
    /// <remarks>
    /// The END record of the server's own invocations names the values of its line (<see cref="LogRecord.Report"/>),
    /// so the check is a few comparisons; other lines are compared as text.
    /// </remarks>
    private static string? StoredReport(LogRecord line, InvocationRecord record)
    {
        var same = line.Report is { } report && ReferenceEquals(report.Line, line.Message)
            ? report.Describes(record)
            : string.Equals(line.Message, PlatformLogLines.Report(record), StringComparison.Ordinal);
        return same ? null : line.Message;
    }

    /// <summary>
    /// Rows with given rowids go in rowid order: a batch's ids interleave (START, END and REPORT of many requests), and
    /// rowids that only ever grow make every insert an append to the table's last page, where out of order they split
    /// pages in the middle (measured: the writer took 15–19 µs per invocation instead of ~9).
    /// </summary>
    private static IEnumerable<int> InsertOrder(int count, IReadOnlyList<long>? rowIds)
    {
        var order = Enumerable.Range(0, count);
        return rowIds is null || rowIds.Count < count ? order : order.OrderBy(i => rowIds[i]);
    }

    /// <summary>The invocation spans of one trace, built from their rows, phases folded (as <c>spans</c> rows read).</summary>
    private static IEnumerable<SpanRecord> ReadInvocationSpans(SqliteConnection connection, string traceId) =>
        connection.Query<InvocationSpanRow>($"SELECT {InvocationSpanColumns} FROM invocation_spans WHERE trace_id = @traceId", new { traceId })
            .Select(row => PlatformSpans.Invocation(row.ToRecord()))
            .OfType<SpanRecord>();

    /// <summary>A stored outcome; one this build does not know (a row from a newer one) reads as a crash.</summary>
    private static InvocationOutcome ParseOutcome(string? outcome) =>
        Enum.TryParse<InvocationOutcome>(outcome, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed : InvocationOutcome.Crashed;

    private const string InvocationSpanColumns =
        """
        trace_id AS TraceId, span_id AS SpanId, parent_span_id AS ParentSpanId, duration AS Duration, function AS Function,
        version AS Version, alias AS Alias, request_id AS RequestId, handed_over AS HandedOver, duration_ms AS DurationMs,
        init_duration_ms AS InitDurationMs, cold_start AS ColdStart, outcome AS Outcome, error_type AS ErrorType,
        memory_size_mb AS MemorySizeMb, max_memory_used_mb AS MaxMemoryUsedMb, source AS Source, hops AS Hops
        """;

    private sealed record InvocationSpanRow(string TraceId, string SpanId, string? ParentSpanId, double Duration, string Function, string Version,
        string? Alias, string RequestId, long HandedOver, double DurationMs, double? InitDurationMs, long ColdStart, string Outcome, string? ErrorType,
        long MemorySizeMb, long MaxMemoryUsedMb, string? Source, long Hops)
    {
        /// <summary>
        /// The record the span was derived from. An outcome this build does not know (a row from a newer one) reads as a
        /// crash: the span stays visible and failed rather than breaking the trace.
        /// </summary>
        public InvocationRecord ToRecord() =>
            new(RequestId, Function, Version, Alias, FromMicros(HandedOver), DurationMs, InitDurationMs, ColdStart != 0,
                ParseOutcome(Outcome), ErrorType, MaxMemoryUsedMb, TraceId, (int)MemorySizeMb)
            {
                Source = Source,
                SpanId = SpanId,
                ParentSpanId = ParentSpanId,
                Hops = (int)Hops,
                TotalMs = Duration,
            };
    }
}
