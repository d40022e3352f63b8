using Nimbus.Core.Invocations;
using Nimbus.Core.Tracing;

namespace Nimbus.Core.Tests.Tracing;

public class PlatformSpansTests
{
    private static readonly DateTimeOffset s_handOver = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static InvocationRecord Record(bool cold, InvocationOutcome outcome = InvocationOutcome.Success) =>
        new("req-1", "orders", "3", "live", s_handOver, 40, cold ? 200 : null, cold, outcome, outcome == InvocationOutcome.Success ? null : "Error", 60,
            "0af7651916cd43dd8448eb211c80319c", 256)
        {
            SpanId = "b7ad6b7169203331",
            ParentSpanId = "00f067aa0ba902b7",
            TotalMs = cold ? 250 : 45,
            Source = "HttpRoute",
            Hops = 2,
        };

    [Fact]
    public void ColdStart_IsTheInvocationSpanWithQueueWaitInitAndExecuteChildrenInOrder()
    {
        var spans = PlatformSpans.From(Record(cold: true)).ToList();

        var root = spans[0];
        Assert.Equal(["orders", SpanNames.QueueWait, SpanNames.Init, SpanNames.Execute], spans.Select(s => s.Name));
        Assert.Equal("Server", root.Kind);
        Assert.Equal("00f067aa0ba902b7", root.ParentSpanId);
        Assert.All(spans.Skip(1), s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.Equal(250, root.DurationMs);
        Assert.Equal(s_handOver.AddMilliseconds(-210), root.Start);
        Assert.Equal(10, spans[1].DurationMs, 3);
        Assert.Equal(200, spans[2].DurationMs, 3);
        Assert.Equal(s_handOver, spans[3].Start);
        Assert.Equal(true, root.Attributes[SpanNames.FaasColdStart]);
        Assert.Equal("http", root.Attributes[SpanNames.FaasTrigger]);
        Assert.Equal("req-1", root.Attributes[SpanNames.FaasInvocationId]);
        Assert.Equal(256L * 1024 * 1024, root.Attributes[SpanNames.FaasMaxMemory]);
        Assert.Equal(2, root.Attributes[SpanNames.Hops]);
    }

    [Fact]
    public void FailedWarmInvocation_MarksTheInvocationAndExecuteAsErrorsWithTheType()
    {
        var spans = PlatformSpans.From(Record(cold: false, InvocationOutcome.FunctionError)).ToList();

        Assert.Equal(["orders", SpanNames.QueueWait, SpanNames.Execute], spans.Select(s => s.Name));
        Assert.True(spans[0].Error);
        Assert.Equal("Error", spans[0].Attributes[SpanNames.ErrorType]);
        Assert.True(spans[2].Error);
        Assert.False(spans[1].Error);
    }

    [Fact]
    public void RecordWithoutASpan_HasNoSpans() =>
        Assert.Empty(PlatformSpans.From(Record(cold: false) with { SpanId = null }));

    [Fact]
    public void TheInvocationSpan_FoldsItsPhasesAndUnfoldsToTheSameSpans()
    {
        var invocation = PlatformSpans.Invocation(Record(cold: true))!;

        Assert.Equal([SpanNames.QueueWait, SpanNames.Init, SpanNames.Execute], invocation.Phases!.Select(p => p.Name));
        Assert.Equal(PlatformSpans.From(Record(cold: true)).Skip(1), PlatformSpans.Unfold(invocation), SpanComparer.Instance);
        Assert.Empty(PlatformSpans.Unfold(invocation with { Phases = null }));
    }

    [Fact]
    public void PhaseSpanIds_AreDerivedFromTheParent_DistinctAndNeverTheParentsOwn()
    {
        var ids = Enumerable.Range(0, 3).Select(i => PlatformSpans.PhaseSpanId("b7ad6b7169203331", i)).ToList();

        Assert.Equal(ids, Enumerable.Range(0, 3).Select(i => PlatformSpans.PhaseSpanId("b7ad6b7169203331", i)));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.DoesNotContain("b7ad6b7169203331", ids);
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{16}$", id));
        Assert.NotEqual(ids[0], PlatformSpans.PhaseSpanId("b7ad6b7169203332", 0));
    }

    [Theory]
    [InlineData(true, InvocationOutcome.Success)]
    [InlineData(false, InvocationOutcome.Success)]
    [InlineData(false, InvocationOutcome.Timeout)]
    [InlineData(true, InvocationOutcome.InitError)]
    [InlineData(false, InvocationOutcome.Throttled)]
    public void Shape_IsTheBuiltSpansStartDurationErrorAndPhaseCount(bool cold, InvocationOutcome outcome)
    {
        var record = Record(cold, outcome);
        var span = PlatformSpans.Invocation(record)!;

        var shape = PlatformSpans.Shape(record);

        Assert.Equal(span.Start, shape.Start);
        Assert.Equal(span.DurationMs, shape.DurationMs);
        Assert.Equal(span.Error, shape.Error);
        Assert.Equal(span.Phases!.Count, shape.PhaseCount);
    }

    [Fact]
    public void Shape_OfAWarmInvocation_StartsAtTheFrontDoorAndCountsQueueWaitAndExecute()
    {
        var shape = PlatformSpans.Shape(Record(cold: false));

        Assert.Equal(s_handOver.AddMilliseconds(-5), shape.Start);
        Assert.Equal(45, shape.DurationMs);
        Assert.False(shape.Error);
        Assert.Equal(2, shape.PhaseCount);
    }

    /// <summary>Spans equal in every field, attributes compared by content.</summary>
    private sealed class SpanComparer : IEqualityComparer<SpanRecord>
    {
        public static readonly SpanComparer Instance = new();

        public bool Equals(SpanRecord? x, SpanRecord? y) =>
            x is not null && y is not null && (x with { Attributes = y.Attributes }) == y
            && x.Attributes.OrderBy(a => a.Key).SequenceEqual(y.Attributes.OrderBy(a => a.Key));

        public int GetHashCode(SpanRecord obj) => obj.SpanId.GetHashCode(StringComparison.Ordinal);
    }
}
