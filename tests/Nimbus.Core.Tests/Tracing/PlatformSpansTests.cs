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
        var n = 0;
        var spans = PlatformSpans.From(Record(cold: true), () => $"{++n:x16}").ToList();

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
        var spans = PlatformSpans.From(Record(cold: false, InvocationOutcome.FunctionError), () => "1111111111111111").ToList();

        Assert.Equal(["orders", SpanNames.QueueWait, SpanNames.Execute], spans.Select(s => s.Name));
        Assert.True(spans[0].Error);
        Assert.Equal("Error", spans[0].Attributes[SpanNames.ErrorType]);
        Assert.True(spans[2].Error);
        Assert.False(spans[1].Error);
    }

    [Fact]
    public void RecordWithoutASpan_HasNoSpans() =>
        Assert.Empty(PlatformSpans.From(Record(cold: false) with { SpanId = null }, () => "1111111111111111"));
}
