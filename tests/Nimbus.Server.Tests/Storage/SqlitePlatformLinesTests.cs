using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Tests.Storage;

/// <summary>
/// The store contract again, with every folded START/END/REPORT row kept in <c>observability.db</c>'s
/// <c>invocation_spans</c> (as the telemetry writer stores them with their records) and read back beside the logs table:
/// every log test of the contract must read the same lines. Plus what is specific to the split.
/// </summary>
public sealed class SqlitePlatformLinesTests : StoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-store-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteObservabilityStore> _observability = [];

    /// <summary>Changes the record made for each stored row (see <see cref="RecordFor"/>).</summary>
    private Func<InvocationRecord, InvocationRecord> _recordShape = record => record;

    private string DataDirectory => Path.Combine(_directory, "data");

    private SqliteObservabilityStore Observability => _observability[^1];

    protected override INimbusStore CreateStore(TimeProvider timeProvider)
    {
        Directory.CreateDirectory(DataDirectory);
        var observability = new SqliteObservabilityStore(Path.Combine(DataDirectory, "observability.db"));
        observability.InitializeAsync(Ct).GetAwaiter().GetResult();
        _observability.Add(observability);
        var store = new SqliteStore(Path.Combine(DataDirectory, "nimbus.db"), timeProvider);
        store.ReadPlatformLinesFrom(observability);
        return store;
    }

    /// <summary>Every folded row goes to <c>invocation_spans</c>, with a record made for it.</summary>
    protected override Task AppendLogsAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken) =>
        Store.AppendLogsAsync(records, new EveryRowWithARecord(Observability, _recordShape), cancellationToken);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var observability in _observability)
        {
            await observability.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task FoldedRows_AreKeptWithTheirRecords_NotInTheLogsTable()
    {
        await AppendLogsAsync([StartMarker(Start, "r1"), Log(Start, "hello", requestId: "r1"), EndMarker(Start.AddMilliseconds(3), "r1")], Ct);

        Assert.Equal(1L, await ScalarAsync<long>("nimbus.db", "SELECT count(*) FROM logs"));
        Assert.Equal(1L, await ScalarAsync<long>("observability.db", "SELECT count(*) FROM invocation_spans WHERE log_time IS NOT NULL"));
        var logs = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);
        Assert.Equal(["START RequestId: r1 Version: $LATEST", "hello", "END RequestId: r1", ReportLine("r1")], logs.Select(l => l.Message));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => logs[0].Id + i), logs.Select(l => l.Id));
    }

    [Fact]
    public async Task AReportItsRecordGivesAgain_IsStoredAsTheRecordsFields_AndReadAndFoundAsTheSameLine()
    {
        await AppendLogsAsync([StartMarker(Start, "r1"), Log(Start, "hello", requestId: "r1"), EndMarker(Start.AddMilliseconds(3), "r1")], Ct);

        Assert.Equal(1L, await ScalarAsync<long>("observability.db", "SELECT count(*) FROM invocation_spans WHERE log_time IS NOT NULL AND log_report IS NULL"));
        var logs = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);
        Assert.Equal(ReportLine("r1"), logs[^1].Message);
        var found = await Store.QueryLogsAsync(new LogQuery("fn") { Text = "max memory used: 7 MB" }, Ct);
        Assert.Equal([ReportLine("r1")], found.Select(l => l.Message));
        Assert.Empty(await Store.QueryLogsAsync(new LogQuery("fn") { Text = "Max Memory Used: 8 MB" }, Ct));
    }

    [Fact]
    public async Task AReportThatDiffersFromItsRecord_IsStoredAsWritten()
    {
        var report = PlatformLogLines.Report("r1", 2.5, 128, 7, 40.25, null);
        await AppendLogsAsync([StartMarker(Start, "r1"), EndMarker(Start.AddMilliseconds(3), "r1") with { Message = report }], Ct);

        Assert.Equal(report, await ScalarAsync<string>("observability.db", "SELECT log_report FROM invocation_spans"));
        var found = await Store.QueryLogsAsync(new LogQuery("fn") { Text = "Init Duration: 40.25 ms" }, Ct);
        Assert.Equal([report], found.Select(l => l.Message));
    }

    [Fact]
    public async Task TheValuesAnEndRecordCarries_DecideWhetherItsReportIsKept()
    {
        // What the server's END record carries: the values its REPORT was built from. The record made for the row says
        // 2.5 ms, 128 MB, 7 MB (RecordFor).
        var same = new InvocationReport("r1", 2.5, 128, 7, null, null);
        var other = new InvocationReport("r2", 2.5, 128, 8, null, null);
        var renamed = new InvocationReport("r3", 2.5, 128, 7, null, null);
        await AppendLogsAsync(
        [
            StartMarker(Start, "r1"), EndMarker(Start.AddMilliseconds(1), "r1") with { Message = same.Line, Report = same },
            StartMarker(Start, "r2"), EndMarker(Start.AddMilliseconds(2), "r2") with { Message = other.Line, Report = other },
            // A copy with another message: the values no longer name it, so its text decides.
            StartMarker(Start, "r3"), EndMarker(Start.AddMilliseconds(3), "r3") with { Message = "REPORT RequestId: r3 by hand", Report = renamed },
        ], Ct);

        var kept = await QueryAsync<(string RequestId, string? Report)>("observability.db", "SELECT request_id, log_report FROM invocation_spans ORDER BY id");
        Assert.Equal([("r1", null), ("r2", other.Line), ("r3", "REPORT RequestId: r3 by hand")], kept);
        var reports = (await Store.QueryLogsAsync(new LogQuery("fn") { Text = "REPORT" }, Ct)).Select(l => l.Message);
        Assert.Equal([same.Line, other.Line, "REPORT RequestId: r3 by hand"], reports);
    }

    [Theory]
    [InlineData(InvocationOutcome.Timeout, null, "\tStatus: timeout")]
    [InlineData(InvocationOutcome.OutOfMemory, null, "\tStatus: error\tError Type: Runtime.OutOfMemory")]
    [InlineData(InvocationOutcome.Crashed, "Runtime.ExitError", "\tStatus: error\tError Type: Runtime.ExitError")]
    [InlineData(InvocationOutcome.FunctionError, "Handled", "")]
    public async Task AReportOfAFailedInvocation_IsBuiltWithItsStatus(InvocationOutcome outcome, string? errorType, string suffix)
    {
        _recordShape = record => record with { Outcome = outcome, ErrorType = errorType, InitDurationMs = 120.5 };
        var report = PlatformLogLines.Report("r1", 2.5, 128, 7, 120.5, PlatformLogLines.Status(outcome, errorType));
        await AppendLogsAsync([StartMarker(Start, "r1"), EndMarker(Start.AddMilliseconds(3), "r1") with { Message = report }], Ct);

        Assert.Equal(1L, await ScalarAsync<long>("observability.db", "SELECT count(*) FROM invocation_spans WHERE log_report IS NULL"));
        Assert.EndsWith("\tInit Duration: 120.50 ms" + suffix, report);
        Assert.Equal(["START RequestId: r1 Version: $LATEST", "END RequestId: r1", report], (await Store.QueryLogsAsync(new LogQuery("fn"), Ct)).Select(l => l.Message));
    }

    [Fact]
    public async Task ARowWhoseFieldsAreDamaged_StillReadsALine_AndTheOtherLinesStillCome()
    {
        await AppendLogsAsync([StartMarker(Start, "r1"), Log(Start, "hello", requestId: "r1"), EndMarker(Start.AddMilliseconds(3), "r1")], Ct);
        await ExecuteAsync("observability.db",
            "UPDATE invocation_spans SET log_report = NULL, duration_ms = 'slow', memory_size_mb = 'many', outcome = 'Exploded', init_duration_ms = 'x'");

        var logs = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);

        Assert.Equal(["START RequestId: r1 Version: $LATEST", "hello", "END RequestId: r1"], logs.Take(3).Select(l => l.Message));
        Assert.StartsWith("REPORT RequestId: r1\tDuration: 0.00 ms", logs[3].Message);
        Assert.EndsWith("\tStatus: error\tError Type: ", logs[3].Message);
    }

    [Fact]
    public async Task LinesStoredAheadOfTheSequence_AreNotRead_UntilTheSequenceCoversThem()
    {
        await AppendLogsAsync([Log(Start, "one")], Ct);
        var sequence = (await Store.QueryLogsAsync(new LogQuery("fn"), Ct)).Single().Id;
        // What a reader sees between the commit of invocation_spans and that of the log batch whose ids they took.
        var ahead = new LogRow(sequence + 3, new LogRecord(0, Start.AddSeconds(1), "fn", "$LATEST", "r9", "trace-1", "INFO", "platform", ReportLine("r9"), null),
            StoredFrame.StartEndReport, sequence + 1, Start.AddSeconds(1));
        await Observability.AppendInvocationSpansAsync([RecordFor(ahead)], [ahead], [ahead.Id], Ct);

        Assert.Equal(["one"], (await Store.QueryLogsAsync(new LogQuery("fn", AfterId: 0), Ct)).Select(l => l.Message));
        Assert.Equal(["one"], (await Store.QueryLogsAsync(new LogQuery("fn"), Ct)).Select(l => l.Message));

        // The next batch takes ids after the ones used there and moves the sequence past them.
        await Store.AppendLogsAsync([Log(Start.AddSeconds(2), "two")], new EveryRowWithARecord(Observability, _recordShape), Ct);

        var follow = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: sequence), Ct);
        Assert.Equal(["START RequestId: r9 Version: $LATEST", "END RequestId: r9", ReportLine("r9"), "two"], follow.Select(l => l.Message));
        Assert.Equal([sequence + 1, sequence + 2, sequence + 3, sequence + 4], follow.Select(l => l.Id));
    }

    [Fact]
    public async Task Follow_FromFarBehind_ReadsByTheFunctionsIndex_AndGetsWhatTheIdRangeGets()
    {
        await AppendLogsAsync([StartMarker(Start, "r1"), Log(Start, "a", requestId: "r1"), EndMarker(Start.AddMilliseconds(3), "r1")], Ct);
        await AppendLogsAsync([Log(Start.AddMilliseconds(4), "other function", function: "other")], Ct);
        // A wide gap in the ids (as after a busy function's lines were pruned): a follower from 0 no longer reads by id.
        await ExecuteAsync("nimbus.db", "UPDATE sqlite_sequence SET seq = seq + 500000 WHERE name = 'logs'");
        await AppendLogsAsync([StartMarker(Start.AddSeconds(1), "r2"), Log(Start.AddSeconds(1), "b", requestId: "r2"), EndMarker(Start.AddSeconds(1.01), "r2")], Ct);

        var fromStart = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: 0, Limit: 100), Ct);
        var all = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);
        var last = fromStart[3].Id;
        var fromNear = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: last, Limit: 100), Ct);

        Assert.Equal(all.Select(l => (l.Id, l.Message)), fromStart.Select(l => (l.Id, l.Message)));
        Assert.Equal(8, fromStart.Count);
        Assert.True(fromStart[4].Id > last + 500000);
        Assert.Equal(fromStart.Skip(4).Select(l => (l.Id, l.Message)), fromNear.Select(l => (l.Id, l.Message)));
    }

    [Fact]
    public async Task TheTelemetryWriter_StoresLinesWithTheirRecords_AndLeavesUnpairedOnesInTheLogsTable()
    {
        var sink = new TelemetrySink(Clock);
        var writer = new TelemetryWriter(sink, Store, Clock, NullLogger<TelemetryWriter>.Instance, traces: Observability);
        foreach (var requestId in new[] { "r1", "r2" })
        {
            sink.Logs.Writer.TryWrite(StartMarker(Start, requestId));
            sink.Logs.Writer.TryWrite(Log(Start.AddMilliseconds(1), "work " + requestId, requestId: requestId));
            sink.Logs.Writer.TryWrite(EndMarker(Start.AddMilliseconds(2), requestId));
        }

        // r1's record comes with its lines; r2's only in the next batch (it is published after its END line).
        sink.Publish(Record("r1", "span-1"));
        await writer.FlushAsync(Ct);
        sink.Publish(Record("r2", "span-2"));
        await writer.FlushAsync(Ct);

        var logs = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);
        Assert.Equal(
            [
                "START RequestId: r1 Version: $LATEST", "work r1", "END RequestId: r1", ReportLine("r1"),
                "START RequestId: r2 Version: $LATEST", "work r2", "END RequestId: r2", ReportLine("r2"),
            ],
            logs.OrderBy(l => l.Id).Select(l => l.Message));
        Assert.Equal(logs.Count, logs.Select(l => l.Id).Distinct().Count());
        Assert.Equal(1L, await ScalarAsync<long>("nimbus.db", "SELECT count(*) FROM logs WHERE frame IS NOT NULL"));
        Assert.Equal("r1", await ScalarAsync<string>("observability.db", "SELECT request_id FROM invocation_spans WHERE log_time IS NOT NULL"));
        Assert.Equal(["r2", "r1"], (await Observability.ListInvocationsAsync("fn", 10, Ct)).Select(r => r.RequestId));
        // Both records have ids of the log sequence, above every line id given out before them.
        var ids = (await QueryAsync<long>("observability.db", "SELECT id FROM invocation_spans ORDER BY id")).ToList();
        Assert.Equal(ReportIdOf(logs, "r1"), ids[0]);
        Assert.True(ids[1] > logs.Max(l => l.Id));
    }

    [Fact]
    public async Task TheLinesOfOneRequest_AreFoundByItsRequestId_InBothTables()
    {
        var sink = new TelemetrySink(Clock);
        var writer = new TelemetryWriter(sink, Store, Clock, NullLogger<TelemetryWriter>.Instance, traces: Observability);
        var requestId = RequestIds.New(Start);
        sink.Logs.Writer.TryWrite(StartMarker(Start, requestId));
        sink.Logs.Writer.TryWrite(Log(Start.AddMilliseconds(1), "mine", requestId: requestId));
        sink.Logs.Writer.TryWrite(EndMarker(Start.AddMilliseconds(2), requestId));
        sink.Logs.Writer.TryWrite(StartMarker(Start, "someone-else"));
        sink.Publish(Record(requestId, "span-1"));
        await writer.FlushAsync(Ct);

        var logs = await Store.QueryLogsAsync(new LogQuery("fn", RequestId: requestId), Ct);

        Assert.Equal([$"START RequestId: {requestId} Version: $LATEST", "mine", $"END RequestId: {requestId}", ReportLine(requestId)],
            logs.Select(l => l.Message));
    }

    private static long ReportIdOf(IReadOnlyList<LogRecord> logs, string requestId) =>
        logs.Single(l => l.RequestId == requestId && l.Message.StartsWith("REPORT", StringComparison.Ordinal)).Id;

    private InvocationRecord Record(string requestId, string spanId) =>
        new(requestId, "fn", "$LATEST", null, Start, 2.5, null, false, InvocationOutcome.Success, null, 7, "trace-1", 128) { SpanId = spanId };

    /// <summary>
    /// A record as the server would publish it for the row: its fields give <see cref="StoreContractTests.ReportLine"/>, so
    /// every contract test's REPORT line is stored as the record's fields and built again on read.
    /// </summary>
    private static InvocationRecord RecordFor(LogRow row) =>
        new(row.Line.RequestId!, row.Line.FunctionName, row.Line.Version, null, row.Frame == StoredFrame.StartEndReport ? row.StartTime : row.Line.Time,
            2.5, null, false, InvocationOutcome.Success, null, 7, row.Line.TraceId ?? "untraced", 128)
        {
            SpanId = row.Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        };

    private async Task<T> ScalarAsync<T>(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, file)};Pooling=False");
        await connection.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, file)};Pooling=False");
        await connection.OpenAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }

    private async Task ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, file)};Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    /// <summary>Stores every folded row in <c>invocation_spans</c> with a record made for it (its span id the row's id).</summary>
    private sealed class EveryRowWithARecord(SqliteObservabilityStore observability, Func<InvocationRecord, InvocationRecord> shape) : IPlatformRowStore
    {
        public long LastId => observability.LastId;

        public long Store(IReadOnlyList<LogRow> rows, long nextId, ISet<long> stored)
        {
            if (rows.Count > 0)
            {
                observability.AppendInvocationSpansAsync([.. rows.Select(row => shape(RecordFor(row)))], [.. rows], [.. rows.Select(r => r.Id)], CancellationToken.None)
                    .GetAwaiter().GetResult();
                foreach (var row in rows)
                {
                    stored.Add(row.Id);
                }
            }

            return nextId - 1;
        }
    }
}
