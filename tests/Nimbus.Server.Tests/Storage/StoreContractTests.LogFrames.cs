using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;

namespace Nimbus.Server.Tests.Storage;

/// <summary>An invocation's START, END and REPORT lines reach the store as markers and come back as plain lines (LogFolding).</summary>
public abstract partial class StoreContractTests
{
    protected static LogRecord StartMarker(DateTimeOffset time, string requestId) =>
        new LogRecord(0, time, "fn", "$LATEST", requestId, "trace-1", "INFO", "platform", "", null) { Frame = LogFrame.Start };

    protected static LogRecord EndMarker(DateTimeOffset time, string requestId) =>
        new LogRecord(0, time, "fn", "$LATEST", requestId, "trace-1", "INFO", "platform", ReportLine(requestId), null) { Frame = LogFrame.End };

    protected static string ReportLine(string requestId) => PlatformLogLines.Report(requestId, 2.5, 128, 7, null, null);

    /// <summary>Two invocations, the second's START in one batch and its END in the next.</summary>
    private async Task AppendTwoInvocationsAsync()
    {
        await AppendLogsAsync(
        [
            StartMarker(Start.AddSeconds(1), "r1"),
            Log(Start.AddSeconds(1).AddMilliseconds(10), "working", requestId: "r1"),
            EndMarker(Start.AddSeconds(1).AddMilliseconds(20), "r1"),
            StartMarker(Start.AddSeconds(2), "r2"),
        ], Ct);
        await AppendLogsAsync([Log(Start.AddSeconds(2).AddMilliseconds(5), "second", requestId: "r2"), EndMarker(Start.AddSeconds(3), "r2")], Ct);
    }

    private static readonly string[] s_allLines =
    [
        "START RequestId: r1 Version: $LATEST", "working", "END RequestId: r1", ReportLine("r1"),
        "START RequestId: r2 Version: $LATEST", "second", "END RequestId: r2", ReportLine("r2"),
    ];

    [Fact]
    public async Task PlatformMarkers_ComeBackAsTheirLines_InWrittenOrder_WithConsecutiveIds()
    {
        await AppendTwoInvocationsAsync();

        var logs = await Store.QueryLogsAsync(new LogQuery("fn"), Ct);

        Assert.Equal(s_allLines, logs.Select(l => l.Message));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => logs[0].Id + i), logs.Select(l => l.Id));
        Assert.Equal(Ms(Start.AddSeconds(1)), logs[0].Time);
        Assert.Equal(Ms(Start.AddSeconds(1).AddMilliseconds(20)), logs[2].Time);
        Assert.All(logs.Where(l => l.Stream == "platform"), l => Assert.Equal(("INFO", "trace-1", (string?)null), (l.Level, l.TraceId, l.FieldsJson)));
    }

    [Fact]
    public async Task Follow_OneLineAPage_GetsEveryLineOnce_InOrder()
    {
        await AppendTwoInvocationsAsync();

        var seen = new List<LogRecord>();
        var afterId = 0L;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await Store.QueryLogsAsync(new LogQuery("fn", AfterId: afterId, Limit: 1), Ct);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page);
            afterId = page.Max(l => l.Id);
        }

        // A folded row's lines come in one page, even past the limit: a page never splits a row, and a page that would
        // end between a START and its folded row takes the row too, so lines come in order.
        Assert.Equal(s_allLines, seen.Select(l => l.Message));
        Assert.Equal(seen.Select(l => l.Id).Distinct().Count(), seen.Count);
    }

    [Fact]
    public async Task TimeFilters_CutThroughAFoldedRow()
    {
        await AppendTwoInvocationsAsync();
        var startOfR1 = Ms(Start.AddSeconds(1));

        // Until is exclusive: only r1's START is before 1 s + 10 ms; Since inclusive: the rest of r1 is from there.
        Assert.Equal(["START RequestId: r1 Version: $LATEST"], await MessagesAsync(new LogQuery("fn", Until: startOfR1.AddMilliseconds(10))));
        Assert.Equal(["working", "END RequestId: r1", ReportLine("r1")],
            await MessagesAsync(new LogQuery("fn", Since: startOfR1.AddMilliseconds(10), Until: startOfR1.AddMilliseconds(21))));
        Assert.Equal(["END RequestId: r1", ReportLine("r1")], await MessagesAsync(new LogQuery("fn", Since: startOfR1.AddMilliseconds(11), Until: Ms(Start.AddSeconds(2)))));
    }

    [Fact]
    public async Task TextLevelAndRequestFilters_MatchTheExpandedLines()
    {
        await AppendTwoInvocationsAsync();

        Assert.Equal(["START RequestId: r1 Version: $LATEST", "START RequestId: r2 Version: $LATEST"], await MessagesAsync(new LogQuery("fn", Text: "start requestid")));
        Assert.Equal(["END RequestId: r2"], await MessagesAsync(new LogQuery("fn", Text: "END RequestId: r2")));
        Assert.Equal([ReportLine("r1"), ReportLine("r2")], await MessagesAsync(new LogQuery("fn", Text: "Billed Duration")));
        Assert.Equal(["START RequestId: r2 Version: $LATEST", "second", "END RequestId: r2", ReportLine("r2")], await MessagesAsync(new LogQuery("fn", RequestId: "r2")));
        Assert.Empty(await MessagesAsync(new LogQuery("fn", Level: "ERROR")));
    }

    [Fact]
    public async Task Newest_WithALimit_CountsLinesNotRows()
    {
        await AppendTwoInvocationsAsync();

        Assert.Equal(["END RequestId: r2", ReportLine("r2")], await MessagesAsync(new LogQuery("fn", Limit: 2)));
        Assert.Equal(s_allLines[3..], await MessagesAsync(new LogQuery("fn", Limit: 5)));
    }

    [Fact]
    public async Task Newest_OrdersByLineTime_AFoldedStartTakingItsOwnPlace()
    {
        // r1 runs 900 ms; 30 lines of other requests are written meanwhile, in the same batch.
        var batch = new List<LogRecord> { StartMarker(Start, "r1") };
        batch.AddRange(Enumerable.Range(0, 30).Select(i => Log(Start.AddMilliseconds(100 + (i * 10)), $"m{i}", requestId: $"o{i}")));
        batch.Add(EndMarker(Start.AddMilliseconds(900), "r1"));
        await AppendLogsAsync(batch, Ct);

        Assert.Equal(["m29", "END RequestId: r1", ReportLine("r1")], await MessagesAsync(new LogQuery("fn", Limit: 3)));
        Assert.Equal("m0", (await MessagesAsync(new LogQuery("fn", Limit: 32)))[0]);
        var all = await MessagesAsync(new LogQuery("fn", Limit: 33));
        Assert.Equal(33, all.Count);
        Assert.Equal(["START RequestId: r1 Version: $LATEST", "m0"], all.Take(2));
    }
}
