using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Invocations;
using Nimbus.Core.Tracing;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Storage;

/// <summary>Spans in observability.db: the batch insert, a span sent twice, folded phases, invocations' spans kept as their records, and the moves off older schemas.</summary>
public sealed class SqliteObservabilitySpansTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-spans-" + Guid.NewGuid().ToString("n")[..12]);
    private string DatabasePath => Path.Combine(_directory, "observability.db");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static SpanRecord Span(string trace, string span, string? parent, string name, DateTimeOffset start, IReadOnlyDictionary<string, object?> attributes,
        bool error = false) =>
        new(trace, span, parent, name, parent is null ? "Server" : "Internal", start, 1.5, "fn", "req-1", error, error ? "Boom" : null,
            SpanRecord.PlatformOrigin, attributes);

    [Fact]
    public async Task AppendSpans_OneBatch_ComesBackByTraceInStartOrderWithEveryField()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        var shared = new Dictionary<string, object?> { ["faas.invocation_id"] = "req-1" };
        var rootAttributes = new Dictionary<string, object?> { ["faas.name"] = "fn", ["faas.coldstart"] = true, ["nimbus.hops"] = 2 };

        await store.AppendSpansAsync(
        [
            Span("t1", "b", "a", "execute", T0.AddMilliseconds(2), shared),
            Span("t1", "a", null, "fn", T0, rootAttributes, error: true),
            Span("t1", "c", "a", "queue-wait", T0.AddMilliseconds(1), shared),
            Span("t2", "z", null, "other", T0, rootAttributes),
        ], CancellationToken.None);

        var trace = await store.GetTraceAsync("t1", CancellationToken.None);

        Assert.Equal(["a", "c", "b"], trace.Select(s => s.SpanId));
        var root = trace[0];
        Assert.Null(root.ParentSpanId);
        Assert.Equal("Server", root.Kind);
        Assert.Equal(T0, root.Start);
        Assert.Equal(1.5, root.DurationMs);
        Assert.True(root.Error);
        Assert.Equal("Boom", root.StatusMessage);
        Assert.Equal("req-1", root.RequestId);
        Assert.Equal(JsonSerializer.Serialize(rootAttributes), JsonSerializer.Serialize(root.Attributes));
        Assert.Equal("req-1", trace[1].Attributes["faas.invocation_id"]?.ToString());
        Assert.Equal("req-1", trace[2].Attributes["faas.invocation_id"]?.ToString());
    }

    [Fact]
    public async Task AppendSpans_TheSameSpanTwice_IsStoredOnceWithTheLatestFields()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        var empty = new Dictionary<string, object?>();

        await store.AppendSpansAsync([Span("t1", "a", null, "first", T0, empty)], CancellationToken.None);
        await store.AppendSpansAsync([Span("t1", "a", null, "second", T0, empty)], CancellationToken.None);

        Assert.Equal("second", Assert.Single(await store.GetTraceAsync("t1", CancellationToken.None)).Name);
    }

    [Fact]
    public async Task Initialize_OverTheClusteredSpansTableOfSchema2_KeepsEverySpanInARowidTable()
    {
        await WriteOlderDatabaseAsync(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE spans (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL, kind TEXT NOT NULL,
                start INTEGER NOT NULL, duration REAL NOT NULL, function TEXT, request_id TEXT, error INTEGER NOT NULL, status_message TEXT,
                origin TEXT NOT NULL, attributes TEXT NOT NULL, PRIMARY KEY (trace_id, span_id)) WITHOUT ROWID;
            CREATE INDEX spans_by_start ON spans (start);
            CREATE INDEX spans_by_function ON spans (function, start);
            INSERT INTO spans VALUES ('old', 's1', NULL, 'fn', 'Server', 1764590400000000, 3.0, 'fn', 'r', 0, NULL, 'platform', '{"k":"v"}');
            PRAGMA user_version = 2;
            """);

        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        await store.AppendSpansAsync([Span("old", "s2", "s1", "execute", T0, new Dictionary<string, object?>())], CancellationToken.None);

        var trace = await store.GetTraceAsync("old", CancellationToken.None);
        Assert.Equal(["s1", "s2"], trace.Select(s => s.SpanId));
        Assert.Equal("v", trace[0].Attributes["k"]?.ToString());
        await using var check = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await check.OpenAsync();
        var definition = await check.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'spans'");
        Assert.DoesNotContain("WITHOUT ROWID", definition, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(6L, await check.ExecuteScalarAsync<long>("PRAGMA user_version"));
        Assert.Equal(1L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'invocation_spans'"));
        Assert.Equal(1L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'spans_by_trace'"));
    }

    [Fact]
    public async Task AnInvocationSpanWithFoldedPhases_IsOneRow_AndReadsBackAsTheInvocationAndItsPhaseSpans()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        var invocation = Span("t1", "b7ad6b7169203331", null, "fn", T0, new Dictionary<string, object?> { ["faas.coldstart"] = true }, error: true) with
        {
            DurationMs = 250,
            Phases =
            [
                new SpanPhase(SpanNames.QueueWait, T0, 10, false),
                new SpanPhase(SpanNames.Init, T0.AddMilliseconds(10), 200, false),
                new SpanPhase(SpanNames.Execute, T0.AddMilliseconds(210), 40, true),
            ],
        };

        await store.AppendSpansAsync([invocation, Span("t1", "f1", "b7ad6b7169203331", "function work", T0.AddMilliseconds(220), new Dictionary<string, object?>())],
            CancellationToken.None);

        var trace = await store.GetTraceAsync("t1", CancellationToken.None);
        Assert.Equal(["fn", SpanNames.QueueWait, SpanNames.Init, SpanNames.Execute, "function work"], trace.Select(s => s.Name));
        Assert.Equal(PlatformSpans.Unfold(invocation).Select(s => s.SpanId), trace.Skip(1).Take(3).Select(s => s.SpanId));
        Assert.All(trace.Skip(1).Take(3), phase => Assert.Equal("b7ad6b7169203331", phase.ParentSpanId));
        Assert.Equal([false, false, true], trace.Skip(1).Take(3).Select(s => s.Error));
        Assert.Equal("Boom", trace[3].StatusMessage);
        Assert.Equal(200, trace[2].DurationMs);
        Assert.Equal(T0.AddMilliseconds(210), trace[3].Start);
        Assert.All(trace, span => Assert.Null(span.Phases));
        var summary = Assert.Single(await store.ListTracesAsync(null, T0.AddMinutes(-1), null, false, 10, CancellationToken.None));
        Assert.Equal(5, summary.SpanCount);
        await using var check = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await check.OpenAsync();
        Assert.Equal(2L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM spans"));
    }

    [Fact]
    public async Task Initialize_OverSchema3_AddsThePhaseColumnsAndKeepsTheSpans()
    {
        await WriteOlderDatabaseAsync(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE spans (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL, kind TEXT NOT NULL,
                start INTEGER NOT NULL, duration REAL NOT NULL, function TEXT, request_id TEXT, error INTEGER NOT NULL, status_message TEXT,
                origin TEXT NOT NULL, attributes TEXT NOT NULL);
            CREATE UNIQUE INDEX spans_by_trace ON spans (trace_id, span_id);
            INSERT INTO spans VALUES ('old', 's1', NULL, 'fn', 'Server', 1764590400000000, 3.0, 'fn', 'r', 0, NULL, 'platform', '{}');
            INSERT INTO spans VALUES ('old', 's2', 's1', 'nimbus.execute', 'Internal', 1764590400001000, 2.0, 'fn', 'r', 0, NULL, 'platform', '{}');
            PRAGMA user_version = 3;
            """);

        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);

        Assert.Equal(["s1", "s2"], (await store.GetTraceAsync("old", CancellationToken.None)).Select(s => s.SpanId));
        Assert.Equal(2, Assert.Single(await store.ListTracesAsync(null, DateTimeOffset.UnixEpoch, null, false, 10, CancellationToken.None)).SpanCount);
    }

    [Fact]
    public async Task Initialize_OverSchema5_GivesInvocationSpansAnIdColumn_KeepingEveryRowAndItsRowid()
    {
        await WriteOlderDatabaseAsync(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE invocation_spans (
                trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT,
                start INTEGER NOT NULL, duration REAL NOT NULL, error INTEGER NOT NULL, phase_count INTEGER NOT NULL,
                function TEXT NOT NULL, version TEXT NOT NULL, alias TEXT, request_id TEXT NOT NULL, handed_over INTEGER NOT NULL,
                duration_ms REAL NOT NULL, init_duration_ms REAL, cold_start INTEGER NOT NULL, outcome TEXT NOT NULL, error_type TEXT,
                memory_size_mb INTEGER NOT NULL, max_memory_used_mb INTEGER NOT NULL, source TEXT, hops INTEGER NOT NULL);
            CREATE UNIQUE INDEX invocation_spans_by_trace ON invocation_spans (trace_id, span_id);
            CREATE INDEX invocation_spans_by_start ON invocation_spans (start);
            CREATE INDEX invocation_spans_by_function ON invocation_spans (function, start);
            INSERT INTO invocation_spans (rowid, trace_id, span_id, start, duration, error, phase_count, function, version, request_id, handed_over,
                duration_ms, cold_start, outcome, memory_size_mb, max_memory_used_mb, hops)
            VALUES (7, 'old', 'a1', 1764590400000000, 3.0, 0, 1, 'orders', '3', 'r-old', 1764590400000000, 2.5, 0, 'Success', 128, 9, 0);
            PRAGMA user_version = 5;
            """);

        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);

        var old = Assert.Single(await store.ListInvocationsAsync("orders", 10, CancellationToken.None));
        Assert.Equal(("r-old", 2.5, 9L), (old.RequestId, old.DurationMs, old.MaxMemoryUsedMb));
        Assert.Equal("a1", (await store.GetTraceAsync("old", CancellationToken.None))[0].SpanId);
        Assert.Equal(7L, store.LastId);
        await store.AppendInvocationSpansAsync([Invocation("t2", "c7ad6b7169203331")], CancellationToken.None);
        Assert.Equal(2, (await store.ListInvocationsAsync("orders", 10, CancellationToken.None)).Count);
        await using var check = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await check.OpenAsync();
        Assert.Equal(7L, await check.ExecuteScalarAsync<long>("SELECT id FROM invocation_spans WHERE trace_id = 'old'"));
        Assert.Contains("id INTEGER PRIMARY KEY", await check.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = 'invocation_spans'"));
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'invocation_spans_v5'"));
        Assert.Equal(["invocation_spans_by_function", "invocation_spans_by_log_time", "invocation_spans_by_request_key", "invocation_spans_by_trace"],
            await check.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invocation_spans' ORDER BY name"));
    }

    private static InvocationRecord Invocation(string trace, string span, bool cold = false, InvocationOutcome outcome = InvocationOutcome.Success,
        DateTimeOffset? handOver = null) =>
        new("0193a5c2-7d1e-7abc-9def-0123456789ab", "orders", "3", "live", handOver ?? T0.AddMilliseconds(250), 40.125, cold ? 200.5 : null, cold, outcome,
            outcome == InvocationOutcome.Success ? null : "Function.Timeout", 61, trace, 256)
        {
            SpanId = span,
            ParentSpanId = "00f067aa0ba902b7",
            TotalMs = cold ? 250.125 : 45.5,
            Source = "HttpRoute",
            Hops = 2,
        };

    [Theory]
    [InlineData(true, InvocationOutcome.Success)]
    [InlineData(false, InvocationOutcome.Timeout)]
    [InlineData(false, InvocationOutcome.Throttled)]
    public async Task AppendInvocationSpans_ReadsBackAsTheSpansItsRecordMakes_WithTheFunctionsOwnSpans(bool cold, InvocationOutcome outcome)
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        var record = Invocation("t1", "b7ad6b7169203331", cold, outcome);
        var work = Span("t1", "f1", "b7ad6b7169203331", "function work", T0.AddMilliseconds(260), new Dictionary<string, object?>());

        await store.AppendInvocationSpansAsync([record, Invocation("t2", "c7ad6b7169203331")], CancellationToken.None);
        await store.AppendSpansAsync([work], CancellationToken.None);

        var trace = await store.GetTraceAsync("t1", CancellationToken.None);
        var expected = PlatformSpans.From(record).Append(work).OrderBy(s => s.Start).ThenByDescending(s => s.DurationMs).ToList();
        Assert.Equal(expected.Select(Describe), trace.Select(Describe));
        await using var check = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await check.OpenAsync();
        Assert.Equal(1L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM spans"));
    }

    [Fact]
    public async Task TwoAttemptsWithOneRequestId_KeepASpanEach()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);

        await store.AppendInvocationSpansAsync(
            [Invocation("t1", "a000000000000001", outcome: InvocationOutcome.Timeout), Invocation("t1", "a000000000000002", handOver: T0.AddSeconds(2))],
            CancellationToken.None);

        var roots = (await store.GetTraceAsync("t1", CancellationToken.None)).Where(s => s.Name == "orders").ToList();
        Assert.Equal(["a000000000000001", "a000000000000002"], roots.Select(s => s.SpanId));
        Assert.Equal([true, false], roots.Select(s => s.Error));
        Assert.All(roots, root => Assert.Equal("0193a5c2-7d1e-7abc-9def-0123456789ab", root.RequestId));
    }

    [Fact]
    public async Task ListTraces_CountsInvocationSpansWithTheirPhases_AndFiltersByTheirFunction()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        await store.AppendInvocationSpansAsync([Invocation("t1", "b7ad6b7169203331", cold: true, InvocationOutcome.Timeout)], CancellationToken.None);
        await store.AppendSpansAsync([Span("t1", "f1", "b7ad6b7169203331", "function work", T0.AddMilliseconds(260), new Dictionary<string, object?>())],
            CancellationToken.None);
        await store.AppendSpansAsync([Span("t2", "z", null, "other", T0, new Dictionary<string, object?>())], CancellationToken.None);

        var summary = Assert.Single(await store.ListTracesAsync("orders", T0.AddMinutes(-1), null, false, 10, CancellationToken.None));

        Assert.Equal("t1", summary.TraceId);
        Assert.Equal(5, summary.SpanCount);
        Assert.Equal("orders", summary.RootName);
        Assert.True(summary.Error);
        Assert.Equal(T0.AddMilliseconds(250 + 40.125 - 250.125), summary.Start);
        Assert.Equal(["fn", "orders"], summary.Functions);
        Assert.Equal(["t1"], (await store.ListTracesAsync(null, T0.AddMinutes(-1), null, true, 10, CancellationToken.None)).Select(t => t.TraceId));
        Assert.Empty(await store.ListTracesAsync("orders", T0.AddMinutes(1), null, false, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ListTraces_WithoutAFunction_FindsTheInvocationsOfEveryFunctionInTheWindow()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        await store.AppendInvocationSpansAsync(
        [
            Invocation("t-a", "a000000000000001") with { FunctionName = "alpha", RequestId = "r1" },
            Invocation("t-old", "a000000000000002", handOver: T0.AddHours(-1)) with { FunctionName = "beta", RequestId = "r2" },
            Invocation("t-b", "a000000000000003", handOver: T0.AddSeconds(1)) with { FunctionName = "beta", RequestId = "r3" },
            Invocation("t-c", "a000000000000004", handOver: T0.AddSeconds(2)) with { FunctionName = "gamma", RequestId = "r4" },
        ], CancellationToken.None);

        var summaries = await store.ListTracesAsync(null, T0.AddMinutes(-1), null, false, 10, CancellationToken.None);

        Assert.Equal(["t-c", "t-b", "t-a"], summaries.Select(t => t.TraceId));
        Assert.Equal(["t-b"], (await store.ListTracesAsync("beta", T0.AddMinutes(-1), null, false, 10, CancellationToken.None)).Select(t => t.TraceId));
    }

    [Fact]
    public async Task ListTraces_NamesATraceAfterItsFirstSpan_InWhicheverTableItIs()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        // t1: the caller's span (function code, in spans) starts before the invocation it calls; t2: only the invocation.
        await store.AppendSpansAsync([Span("t1", "c1", null, "checkout", T0, new Dictionary<string, object?>())], CancellationToken.None);
        await store.AppendInvocationSpansAsync(
            [Invocation("t1", "a000000000000001"), Invocation("t2", "a000000000000002", handOver: T0.AddSeconds(5)) with { RequestId = "r2" }],
            CancellationToken.None);

        var summaries = await store.ListTracesAsync(null, T0.AddMinutes(-1), null, false, 10, CancellationToken.None);

        Assert.Equal([("t2", "orders", 3), ("t1", "checkout", 4)], summaries.Select(t => (t.TraceId, t.RootName, t.SpanCount)));
        Assert.Equal(["t2"], (await store.ListTracesAsync(null, T0.AddMinutes(-1), null, false, 1, CancellationToken.None)).Select(t => t.TraceId));
    }

    [Fact]
    public async Task InvocationRetention_DeletesInvocationSpansByAgeAndOldestFirst_AndTheSpanRetentionLeavesThem()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        var table = TelemetryTable.InvocationSpans;
        await store.AppendInvocationSpansAsync(
            [.. Enumerable.Range(0, 5).Select(i => Invocation($"t{i}", $"a00000000000000{i}", handOver: T0.AddSeconds(i)) with { RequestId = $"r{i}" })],
            CancellationToken.None);

        Assert.Equal(0, await store.PruneSpansAsync(T0.Add(SqliteObservabilityStore.SpanRetention).AddDays(1), CancellationToken.None));
        Assert.Equal(5, (await store.MeasureTelemetryAsync(table, CancellationToken.None)).Rows);
        Assert.True((await store.MeasureTelemetryAsync(table, CancellationToken.None)).Bytes > 5 * TelemetryTableSql.RowOverhead);

        // Each arrives 5.375 ms before its hand-over (T0 + i s): a cutoff at T0 + 1.5 s takes t0 and t1.
        Assert.Equal(2, await store.DeleteTelemetryOlderThanAsync(table, T0.AddMilliseconds(1500), 100, CancellationToken.None));
        Assert.Equal(1, await store.DeleteOldestTelemetryAsync(table, 1, CancellationToken.None));

        Assert.Equal(["r4", "r3"], (await store.ListInvocationsAsync("orders", 10, CancellationToken.None)).Select(r => r.RequestId));
        await Assert.ThrowsAsync<ArgumentException>(() => store.MeasureTelemetryAsync(TelemetryTable.Logs, CancellationToken.None));
    }

    [Fact]
    public async Task ListInvocations_IsNewestFirstPerFunction_TheLatestAttemptOfARequestOnce_WithEveryField()
    {
        await using var store = new SqliteObservabilityStore(DatabasePath);
        await store.InitializeAsync(CancellationToken.None);
        var first = Invocation("t1", "a000000000000001", outcome: InvocationOutcome.Timeout);
        var retry = Invocation("t1", "a000000000000002", handOver: T0.AddSeconds(2)) with { Source = "Async" };
        var other = Invocation("t2", "a000000000000003", handOver: T0.AddSeconds(1)) with { RequestId = "r-other" };
        var elsewhere = Invocation("t3", "a000000000000004", handOver: T0.AddSeconds(3)) with { RequestId = "r-elsewhere", FunctionName = "billing" };
        await store.AppendInvocationSpansAsync([first, other, retry, elsewhere], CancellationToken.None);

        var listed = await store.ListInvocationsAsync("orders", 10, CancellationToken.None);

        Assert.Equal([retry.RequestId, "r-other"], listed.Select(r => r.RequestId));
        var latest = listed[0];
        Assert.Equal(InvocationOutcome.Success, latest.Outcome);
        Assert.Equal((retry.FunctionName, retry.Version, retry.Alias, retry.StartedAt, retry.DurationMs, retry.InitDurationMs, retry.ColdStart),
            (latest.FunctionName, latest.Version, latest.Alias, latest.StartedAt, latest.DurationMs, latest.InitDurationMs, latest.ColdStart));
        Assert.Equal((retry.ErrorType, retry.MaxMemoryUsedMb, retry.TraceId, retry.MemorySizeMb, retry.Source, retry.SpanId, retry.Hops, retry.TotalMs),
            (latest.ErrorType, latest.MaxMemoryUsedMb, latest.TraceId, latest.MemorySizeMb, latest.Source, latest.SpanId, latest.Hops, latest.TotalMs));
        Assert.Equal([retry.RequestId], (await store.ListInvocationsAsync("orders", 1, CancellationToken.None)).Select(r => r.RequestId));
        Assert.Empty(await store.ListInvocationsAsync("nope", 10, CancellationToken.None));
    }

    [Fact]
    public async Task AnInvocationSpanRowWithAnOutcomeThisBuildDoesNotKnow_ReadsAsAFailedSpan()
    {
        await using (var store = new SqliteObservabilityStore(DatabasePath))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.AppendInvocationSpansAsync([Invocation("t1", "b7ad6b7169203331")], CancellationToken.None);
        }

        await WriteOlderDatabaseAsync("UPDATE invocation_spans SET outcome = 'Evicted'");
        await using var reopened = new SqliteObservabilityStore(DatabasePath);
        await reopened.InitializeAsync(CancellationToken.None);

        var root = (await reopened.GetTraceAsync("t1", CancellationToken.None))[0];
        Assert.Equal("orders", root.Name);
        Assert.True(root.Error);
        Assert.Equal(nameof(InvocationOutcome.Crashed), root.Attributes[SpanNames.Outcome]?.ToString());
    }

    /// <summary>Every field of a span, attributes by key, as text: two spans describe alike when they are alike.</summary>
    private static string Describe(SpanRecord span) =>
        JsonSerializer.Serialize(span with { Attributes = new Dictionary<string, object?>() }) + " "
        + string.Join(",", span.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));

    /// <summary>Writes the file as an older build left it, before the store opens it.</summary>
    private async Task WriteOlderDatabaseAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql);
    }
}
