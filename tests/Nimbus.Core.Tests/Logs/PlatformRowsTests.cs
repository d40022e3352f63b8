using Nimbus.Core.Invocations;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Tests.Logs;

public sealed class PlatformRowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static LogRow Row(long id, string requestId, string trace = "t1", string function = "fn", string version = "$LATEST",
        StoredFrame frame = StoredFrame.StartEndReport) =>
        new(id, new LogRecord(0, T0, function, version, requestId, trace, "INFO", "platform", "REPORT RequestId: " + requestId, null), frame, id - 2, T0);

    private static InvocationRecord Record(string requestId, string? trace = "t1", string function = "fn", string version = "$LATEST", string? span = "s1") =>
        new(requestId, function, version, null, T0, 1, null, false, InvocationOutcome.Success, null, 5, trace) { SpanId = span };

    [Fact]
    public void EachRecord_GetsTheRowOfItsRequest_WhateverTheOrder()
    {
        var rows = new[] { Row(3, "a"), Row(6, "b", frame: StoredFrame.EndReport) };

        var matches = PlatformRows.Match(rows, [Record("b"), Record("c"), Record("a")]);

        Assert.Equal([6L, null, 3L], matches.Select(m => m?.Id));
    }

    [Fact]
    public void PlainLines_AreNeverPaired()
    {
        var line = Row(3, "a", frame: StoredFrame.None);

        Assert.Equal([null], PlatformRows.Match([line], [Record("a")]).Select(m => m?.Id));
    }

    [Fact]
    public void ARequestTwiceOnEitherSide_StaysUnpaired()
    {
        // Two attempts of one async event in one batch: which row belongs to which record is not known.
        Assert.Equal([null, null], PlatformRows.Match([Row(3, "a")], [Record("a"), Record("a", span: "s2")]).Select(m => m?.Id));
        Assert.Equal([null], PlatformRows.Match([Row(3, "a"), Row(6, "a")], [Record("a")]).Select(m => m?.Id));
        Assert.Equal([null, 9L], PlatformRows.Match([Row(3, "a"), Row(6, "a"), Row(9, "b")], [Record("a"), Record("b")]).Select(m => m?.Id));
    }

    [Theory]
    [InlineData("t2", "fn", "$LATEST", "s1")]
    [InlineData("t1", "other", "$LATEST", "s1")]
    [InlineData("t1", "fn", "2", "s1")]
    [InlineData(null, "fn", "$LATEST", "s1")]
    [InlineData("t1", "fn", "$LATEST", null)]
    public void ARecordThatDiffersFromTheLines_OrHasNoSpan_StaysUnpaired(string? trace, string function, string version, string? span)
    {
        var matches = PlatformRows.Match([Row(3, "a")], [Record("a", trace, function, version, span)]);

        Assert.Null(Assert.Single(matches));
    }

    [Fact]
    public void NothingOnOneSide_PairsNothing()
    {
        Assert.Empty(PlatformRows.Match([Row(3, "a")], []));
        Assert.Equal([null], PlatformRows.Match([], [Record("a")]).Select(m => m?.Id));
    }
}
