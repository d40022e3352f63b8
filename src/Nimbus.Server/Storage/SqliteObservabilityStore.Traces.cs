using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Tracing;

namespace Nimbus.Server.Storage;

/// <summary>
/// Spans, the platform's and function code's, one row each keyed by (trace, span); a span sent twice (an OTLP
/// exporter's retry) is stored once. Invocations' own spans are rows of <c>invocation_spans</c> (see
/// <see cref="AppendInvocationSpansAsync"/>); reads combine both. Start times are Unix microseconds, durations milliseconds.
/// </summary>
public sealed partial class SqliteObservabilityStore
{
    /// <summary>How long spans in <c>spans</c> are kept; invocations' own follow the invocation retention (<see cref="TelemetryTable.InvocationSpans"/>).</summary>
    public static readonly TimeSpan SpanRetention = TimeSpan.FromDays(7);

    public Task AppendSpansAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (spans.Count == 0)
        {
            return Task.CompletedTask;
        }

        Write((connection, _) =>
        {
            // Prepared once for the writer's lifetime (see SqliteBatchStatement); the write lock serialises its use.
            var insert = _spanInsert ??= new SqliteBatchStatement(connection,
                """
                INSERT OR REPLACE INTO spans (trace_id, span_id, parent_span_id, name, kind, start, duration, function, request_id, error, status_message, origin, attributes,
                    phases, phase_count)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                """);
            IReadOnlyDictionary<string, object?>? lastAttributes = null;
            var lastJson = "";
            foreach (var span in spans)
            {
                insert.Text(1, span.TraceId);
                insert.Text(2, span.SpanId);
                insert.Text(3, span.ParentSpanId);
                insert.Text(4, span.Name);
                insert.Text(5, span.Kind);
                insert.Integer(6, ToMicros(span.Start));
                insert.Real(7, span.DurationMs);
                insert.Text(8, span.FunctionName);
                insert.Text(9, span.RequestId);
                insert.Integer(10, span.Error ? 1 : 0);
                insert.Text(11, span.StatusMessage);
                insert.Text(12, span.Origin);
                // Spans of function code with the same attribute set (a batch from one exporter) serialise it once.
                if (!ReferenceEquals(span.Attributes, lastAttributes))
                {
                    lastAttributes = span.Attributes;
                    lastJson = SpanAttributesJson.Serialize(span.Attributes);
                }

                insert.Text(13, lastJson);
                insert.Text(14, SpanPhasesJson.Serialize(span.Phases));
                insert.Integer(15, span.Phases?.Count ?? 0);
                insert.Execute();
            }

            return spans.Count;
        });
        return Task.CompletedTask;
    }

    /// <summary>Traces that have a span in the window (of the function, when given), newest first.</summary>
    public Task<IReadOnlyList<TraceSummary>> ListTracesAsync(string? function, DateTimeOffset since, double? minDurationMs, bool errorsOnly, int limit,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The traces with a span in the window, then all their spans from both tables by the trace index (a view over
        // both would be scanned whole); read by position, as a compound select's columns have no declared type for
        // Dapper to map from. The root names are looked up for the page only.
        var rows = Read(connection =>
        {
            // Invocations' spans by (function, start), one range per function: that index is there for the listing and
            // the pruner anyway, and a `start` index of its own cost the writer an entry per invocation.
            IReadOnlyList<string> functions = function is not null ? [function] : InvocationFunctions(connection);
            var page = connection.Query<(string, long, long, long, long, string?)>(
                """
                WITH candidates AS MATERIALIZED (
                    SELECT trace_id FROM spans WHERE start >= @since AND (@function IS NULL OR function = @function)
                    UNION SELECT trace_id FROM invocation_spans WHERE function IN @functions AND start >= @since),
                trace_spans AS (
                    SELECT trace_id, start, duration, function, error, phase_count FROM spans WHERE trace_id IN candidates
                    UNION ALL
                    SELECT trace_id, start, duration, function, error, phase_count FROM invocation_spans WHERE trace_id IN candidates)
                SELECT trace_id, MIN(start) AS first_start, MAX(start + CAST(duration * 1000 AS INTEGER)), COUNT(*) + SUM(phase_count),
                       MAX(error), GROUP_CONCAT(DISTINCT function)
                FROM trace_spans
                GROUP BY trace_id
                HAVING (@errorsOnly = 0 OR MAX(error) = 1) AND (MAX(start + CAST(duration * 1000 AS INTEGER)) - MIN(start)) >= @minMicros
                ORDER BY first_start DESC
                LIMIT @limit
                """,
                new { since = ToMicros(since), function, functions, errorsOnly = errorsOnly ? 1 : 0, minMicros = (long)((minDurationMs ?? 0) * 1000), limit }).ToList();
            return page.Select(row => new SummaryRow(row.Item1, row.Item2, row.Item3, row.Item4, row.Item5, row.Item6, RootName(connection, row.Item1))).ToList();
        });
        IReadOnlyList<TraceSummary> summaries = [.. rows.Select(r => new TraceSummary(
            r.TraceId, r.RootName ?? "", FromMicros(r.FirstStart), (r.LastEnd - r.FirstStart) / 1000.0, (int)r.Spans, r.Error != 0,
            (r.Functions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray()))];
        return Task.FromResult(summaries);
    }

    /// <summary>The functions with invocation spans, walked along the (function, start) index as the pruner walks them.</summary>
    private static List<string> InvocationFunctions(SqliteConnection connection)
    {
        var functions = new List<string>();
        while (TelemetryTableSql.NextPartition(connection, null, TelemetryTable.InvocationSpans, functions.Count == 0 ? "" : functions[^1]) is { } next)
        {
            functions.Add(next);
        }

        return functions;
    }

    /// <summary>The name of the trace's first span (the longer one when two start together), from either table.</summary>
    private static string? RootName(SqliteConnection connection, string traceId) =>
        connection.ExecuteScalar<string?>(
            """
            SELECT name FROM (
                SELECT name, start, duration FROM spans WHERE trace_id = @traceId
                UNION ALL
                SELECT function, start, duration FROM invocation_spans WHERE trace_id = @traceId)
            ORDER BY start, duration DESC LIMIT 1
            """, new { traceId });

    /// <summary>Every span of a trace, by start time; empty when none is stored.</summary>
    public Task<IReadOnlyList<SpanRecord>> GetTraceAsync(string traceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (rows, invocations) = Read(connection => (connection.Query<SpanRow>(
            """
            SELECT trace_id AS TraceId, span_id AS SpanId, parent_span_id AS ParentSpanId, name AS Name, kind AS Kind, start AS Start,
                   duration AS Duration, function AS Function, request_id AS RequestId, error AS Error, status_message AS StatusMessage,
                   origin AS Origin, attributes AS Attributes, phases AS Phases
            FROM spans WHERE trace_id = @traceId ORDER BY start, duration DESC
            """, new { traceId }).ToList(), ReadInvocationSpans(connection, traceId).ToList()));
        var stored = rows.Select(r => new SpanRecord(
            r.TraceId, r.SpanId, r.ParentSpanId, r.Name, r.Kind, FromMicros(r.Start), r.Duration, r.Function, r.RequestId, r.Error != 0,
            r.StatusMessage, r.Origin, JsonSerializer.Deserialize<Dictionary<string, object?>>(r.Attributes) ?? [])
        {
            Phases = SpanPhasesJson.Parse(r.Phases),
        });
        // Folded phases become spans again, in the order the rows are read in: by start, the longer span first.
        IReadOnlyList<SpanRecord> spans = [.. stored
            .Concat(invocations)
            .SelectMany(PlatformSpans.WithPhases)
            .OrderBy(span => span.Start)
            .ThenByDescending(span => span.DurationMs)];
        return Task.FromResult(spans);
    }

    public Task<int> PruneSpansAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write((connection, transaction) =>
            connection.Execute("DELETE FROM spans WHERE start < @cutoff", new { cutoff = ToMicros(now - SpanRetention) }, transaction)));
    }

    private static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private sealed record SummaryRow(string TraceId, long FirstStart, long LastEnd, long Spans, long Error, string? Functions, string? RootName);

    private sealed record SpanRow(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, long Start, double Duration,
        string? Function, string? RequestId, long Error, string? StatusMessage, string Origin, string Attributes, string? Phases);
}
