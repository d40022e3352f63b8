using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Core.Telemetry;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Tests.Telemetry;

/// <summary>Retention against a real SQLite store: rows with old timestamps, a fake clock, and exactly which rows remain.</summary>
public sealed class TelemetryPrunerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy SevenDays = new(TimeSpan.FromDays(7), null, null);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-pruner-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(Now);
    private SqliteStore _store = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _clock);
        await _store.InitializeAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Tick_DeletesLogsOlderThanTheRetentionAge_OfEveryFunction_AndKeepsTheRest()
    {
        await _store.AppendLogsAsync(
        [
            Log("a", Now - TimeSpan.FromDays(30), "a-30d"),
            Log("b", Now - TimeSpan.FromDays(8), "b-8d"),
            Log("a", Now - TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1), "a-7d-1ms"),
            Log("a", Now - TimeSpan.FromDays(7), "a-7d"),
            Log("b", Now - TimeSpan.FromDays(6), "b-6d"),
            Log("a", Now - TimeSpan.FromMinutes(1), "a-1m"),
        ], Ct);

        var deleted = await Pruner(new TableRetention(TelemetryTable.Logs, SevenDays)).TickAsync(_clock.GetUtcNow(), Ct);

        Assert.Equal([3L], deleted);
        Assert.Equal(["a-7d", "a-1m"], await MessagesAsync("a"));
        Assert.Equal(["b-6d"], await MessagesAsync("b"));
    }

    [Fact]
    public async Task Tick_WithMoreOldRowsThanOneChunk_DeletesThemAllInChunks()
    {
        var old = Enumerable.Range(0, TelemetryPruner.ChunkSize * 2 + 17)
            .Select(i => Log(i % 2 == 0 ? "a" : "b", Now - TimeSpan.FromDays(10) + TimeSpan.FromSeconds(i), "old"));
        await _store.AppendLogsAsync([.. old, Log("a", Now - TimeSpan.FromHours(1), "recent")], Ct);

        var deleted = await Pruner(new TableRetention(TelemetryTable.Logs, SevenDays)).TickAsync(_clock.GetUtcNow(), Ct);

        Assert.Equal([TelemetryPruner.ChunkSize * 2L + 17], deleted);
        Assert.Equal(["recent"], await MessagesAsync("a"));
        Assert.Empty(await MessagesAsync("b"));
    }

    [Fact]
    public async Task Tick_InvocationsOverTheRowBudget_DeletesTheEarliestStoredDownToTheLowWaterMark()
    {
        // 15 records against a budget of 10: the 6 earliest go, leaving 9 (90 % of the budget).
        await _store.AppendInvocationsAsync([.. Enumerable.Range(0, 15).Select(i => Invocation($"req-{i:00}", Now - TimeSpan.FromMinutes(15 - i)))], Ct);

        var deleted = await Pruner(new TableRetention(TelemetryTable.Invocations, new RetentionPolicy(null, null, maxRows: 10))).TickAsync(_clock.GetUtcNow(), Ct);

        Assert.Equal([6L], deleted);
        var remaining = (await _store.ListInvocationsAsync("fn", 100, Ct)).Select(r => r.RequestId).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(6, 9).Select(i => $"req-{i:00}"), remaining);
    }

    [Fact]
    public async Task Tick_InvocationsWithinTheRowBudget_DeletesNothing()
    {
        await _store.AppendInvocationsAsync([.. Enumerable.Range(0, 10).Select(i => Invocation($"req-{i}", Now))], Ct);

        var deleted = await Pruner(new TableRetention(TelemetryTable.Invocations, new RetentionPolicy(null, null, maxRows: 10))).TickAsync(_clock.GetUtcNow(), Ct);

        Assert.Equal([0L], deleted);
        Assert.Equal(10, (await _store.ListInvocationsAsync("fn", 100, Ct)).Count);
    }

    [Fact]
    public async Task Tick_LogsOverTheSizeBudget_LeavesTheNewestRowsWithinTheBudget()
    {
        var message = new string('x', 500);
        await _store.AppendLogsAsync([.. Enumerable.Range(0, 4000).Select(i => Log("a", Now - TimeSpan.FromSeconds(4000 - i), $"{i:0000} {message}"))], Ct);
        var before = await _store.MeasureTelemetryAsync(TelemetryTable.Logs, Ct);
        var budget = before.Bytes / 2;

        await Pruner(new TableRetention(TelemetryTable.Logs, new RetentionPolicy(null, budget, null))).TickAsync(_clock.GetUtcNow(), Ct);

        var after = await _store.MeasureTelemetryAsync(TelemetryTable.Logs, Ct);
        Assert.True(after.Bytes <= budget, $"after pruning the logs take {after.Bytes} bytes, over the budget of {budget}");
        Assert.True(after.Rows >= 1000, $"pruning to half of 4000 rows' size left only {after.Rows} rows");
        // What remains is the newest rows, without a gap.
        var remaining = await MessagesAsync("a");
        Assert.Equal(Enumerable.Range(4000 - remaining.Count, remaining.Count).Select(i => $"{i:0000} {message}"), remaining);
    }

    [Fact]
    public async Task Tick_AppliesEachTablesOwnPolicy()
    {
        await _store.AppendLogsAsync([Log("fn", Now - TimeSpan.FromDays(2), "2 days old")], Ct);
        await _store.AppendInvocationsAsync([Invocation("req-old", Now - TimeSpan.FromDays(2))], Ct);

        var deleted = await Pruner(
            new TableRetention(TelemetryTable.Logs, new RetentionPolicy(TimeSpan.FromDays(1), null, null)),
            new TableRetention(TelemetryTable.Invocations, new RetentionPolicy(TimeSpan.FromDays(3), null, null))).TickAsync(_clock.GetUtcNow(), Ct);

        Assert.Equal([1L, 0L], deleted);
        Assert.Empty(await MessagesAsync("fn"));
        Assert.Equal(["req-old"], (await _store.ListInvocationsAsync("fn", 10, Ct)).Select(r => r.RequestId));
    }

    [Fact]
    public async Task Tick_PrunesATableOfAnotherStore_ThereByItsPolicy()
    {
        await using var observability = new SqliteObservabilityStore(Path.Combine(_directory, "observability.db"));
        await observability.InitializeAsync(Ct);
        await observability.AppendInvocationSpansAsync(
        [
            Invocation("req-old", Now - TimeSpan.FromDays(8)) with { TraceId = "0af7651916cd43dd8448eb211c80319c", SpanId = "b7ad6b7169203331" },
            Invocation("req-new", Now - TimeSpan.FromDays(1)) with { TraceId = "0af7651916cd43dd8448eb211c80319d", SpanId = "b7ad6b7169203332" },
        ], Ct);
        await _store.AppendInvocationsAsync([Invocation("req-main", Now - TimeSpan.FromDays(8))], Ct);

        var deleted = await Pruner(new TableRetention(TelemetryTable.InvocationSpans, SevenDays, observability)).TickAsync(_clock.GetUtcNow(), Ct);

        Assert.Equal([1L], deleted);
        Assert.Equal(["req-new"], (await observability.ListInvocationsAsync("fn", 10, Ct)).Select(r => r.RequestId));
        Assert.Equal(["req-main"], (await _store.ListInvocationsAsync("fn", 10, Ct)).Select(r => r.RequestId));
    }

    [Fact]
    public async Task BackgroundLoop_PrunesAtStartAndAgainEveryMinute()
    {
        var pruner = Pruner(new TableRetention(TelemetryTable.Logs, new RetentionPolicy(TimeSpan.FromMinutes(1), null, null)));
        await _store.AppendLogsAsync([Log("fn", Now - TimeSpan.FromMinutes(2), "old at start"), Log("fn", Now - TimeSpan.FromSeconds(30), "old a minute later")], Ct);

        var first = NextTick(pruner);
        await pruner.StartAsync(Ct);
        try
        {
            Assert.Equal(Now, await first.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(["old a minute later"], await MessagesAsync("fn"));

            var second = NextTick(pruner);
            _clock.Advance(TelemetryPruner.Interval);
            Assert.Equal(Now + TelemetryPruner.Interval, await second.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Empty(await MessagesAsync("fn"));
        }
        finally
        {
            await pruner.StopAsync(Ct);
        }
    }

    private static Task<DateTimeOffset> NextTick(TelemetryPruner pruner)
    {
        var ticked = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnTicked(DateTimeOffset now)
        {
            pruner.Ticked -= OnTicked;
            ticked.TrySetResult(now);
        }

        pruner.Ticked += OnTicked;
        return ticked.Task;
    }

    private TelemetryPruner Pruner(params TableRetention[] tables) => new(_store, tables, _clock, NullLogger<TelemetryPruner>.Instance);

    private async Task<List<string>> MessagesAsync(string function) =>
        [.. (await _store.QueryLogsAsync(new LogQuery(function, Limit: 100_000), Ct)).Select(r => r.Message)];

    private static LogRecord Log(string function, DateTimeOffset time, string message) =>
        new(0, time, function, "$LATEST", null, null, "INFO", "stdout", message, null);

    private static InvocationRecord Invocation(string requestId, DateTimeOffset startedAt) =>
        new(requestId, "fn", "$LATEST", null, startedAt, 1, null, false, InvocationOutcome.Success, null, 64, null);
}
