using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public sealed class LogFoldingTests
{
    private const string A = "01a23839-5d5a-72f5-b440-fba096eeca8b";
    private const string B = "01a23839-5d5a-72f5-b440-fba096eeca8c";
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 2, 20, 0, 0, TimeSpan.Zero);

    private static LogRecord Line(string? requestId, int ms, string message) =>
        new(0, s_t0.AddMilliseconds(ms), "fn", "3", requestId, "trace", "INFO", "stdout", message, null);

    private static LogRecord Start(string requestId, int ms) =>
        new LogRecord(0, s_t0.AddMilliseconds(ms), "fn", "3", requestId, "trace", "INFO", "platform", "", null) { Frame = LogFrame.Start };

    private static LogRecord End(string requestId, int ms) =>
        new LogRecord(0, s_t0.AddMilliseconds(ms), "fn", "3", requestId, "trace", "INFO", "platform", Report(requestId), null) { Frame = LogFrame.End };

    private static string Report(string requestId) => PlatformLogLines.Report(requestId, 1.25, 128, 5, null, null);

    private static List<LogRecord> Lines(IEnumerable<LogRow> rows) => [.. rows.SelectMany(LogFolding.Expand)];

    [Fact]
    public void AnInvocationInOneBatch_IsOneRowForItsPlatformLines_AndExpandsToTheLinesWithIdsInWrittenOrder()
    {
        var rows = LogFolding.Fold([Start(A, 0), Line(A, 1, "hello"), End(A, 2)], nextId: 100);

        Assert.Equal(2, rows.Count);
        Assert.Equal((101L, StoredFrame.None), (rows[0].Id, rows[0].Frame));
        Assert.Equal((103L, StoredFrame.StartEndReport, 100L), (rows[1].Id, rows[1].Frame, rows[1].StartId));
        var lines = Lines(rows).OrderBy(l => l.Id).ToList();
        Assert.Equal([100L, 101L, 102L, 103L], lines.Select(l => l.Id));
        Assert.Equal([$"START RequestId: {A} Version: 3", "hello", $"END RequestId: {A}", Report(A)], lines.Select(l => l.Message));
        Assert.Equal([0, 1, 2, 2], lines.Select(l => (int)(l.Time - s_t0).TotalMilliseconds));
        Assert.All(lines, l => Assert.Equal(LogFrame.None, l.Frame));
        Assert.All(lines.Where(l => l.Stream == "platform"), l => Assert.Equal(("INFO", A, "trace", (string?)null), (l.Level, l.RequestId, l.TraceId, l.FieldsJson)));
    }

    [Fact]
    public void AStartWhoseEndIsNotInTheBatch_IsStoredAsItsOwnLine_AndTheLaterEndAsEndAndReport()
    {
        var first = LogFolding.Fold([Start(A, 0), Line(A, 1, "working")], nextId: 1);
        var second = LogFolding.Fold([End(A, 900)], nextId: 3);

        Assert.Equal([$"START RequestId: {A} Version: 3", "working"], Lines(first).Select(l => l.Message));
        Assert.Equal([1L, 2L], Lines(first).Select(l => l.Id));
        Assert.Equal(StoredFrame.EndReport, Assert.Single(second).Frame);
        Assert.Equal([(3L, $"END RequestId: {A}"), (4L, Report(A))], Lines(second).Select(l => (l.Id, l.Message)));
    }

    [Fact]
    public void AStartLongerAgoThanTheFoldedSpan_IsNotFolded()
    {
        var rows = LogFolding.Fold([Start(A, 0), End(A, 1001)], nextId: 1);

        Assert.Equal([(1L, StoredFrame.None), (3L, StoredFrame.EndReport)], rows.Select(r => (r.Id, r.Frame)));
        Assert.Equal([1L, 2L, 3L], Lines(rows).Select(l => l.Id));
    }

    [Fact]
    public void InterleavedInvocations_EachFoldWithTheirOwnStart()
    {
        var rows = LogFolding.Fold([Start(A, 0), Start(B, 1), End(B, 2), Line(A, 3, "a"), End(A, 4)], nextId: 10);

        var lines = Lines(rows).OrderBy(l => l.Id).ToList();
        Assert.Equal([10L, 11L, 12L, 13L, 14L, 15L, 16L], lines.Select(l => l.Id));
        Assert.Equal([$"START RequestId: {A} Version: 3", $"START RequestId: {B} Version: 3", $"END RequestId: {B}", Report(B), "a", $"END RequestId: {A}", Report(A)],
            lines.Select(l => l.Message));
        Assert.Equal(2, rows.Count(r => r.Frame == StoredFrame.StartEndReport));
    }

    [Fact]
    public void ARetryWithTheSameRequestId_FoldsEachAttemptWithItsOwnStart()
    {
        var rows = LogFolding.Fold([Start(A, 0), End(A, 1), Start(A, 2), End(A, 3)], nextId: 1);

        Assert.Equal([(3L, 1L), (6L, 4L)], rows.Select(r => (r.Id, r.StartId)));
        Assert.Equal(6, Lines(rows).Count);
    }

    [Fact]
    public void RowsComeInIdOrder_SoAStoreCanInsertThemAsTheyCome()
    {
        var rows = LogFolding.Fold([Line(null, 0, "boot"), Start(A, 1), Start(B, 1), Line(B, 2, "b"), End(A, 3)], nextId: 1);

        Assert.Equal(rows.Select(r => r.Id).Order(), rows.Select(r => r.Id));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], Lines(rows).Select(l => l.Id).Order());
    }
}
