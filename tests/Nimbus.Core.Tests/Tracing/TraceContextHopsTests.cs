using Nimbus.Core.Tracing;

namespace Nimbus.Core.Tests.Tracing;

public class TraceContextHopsTests
{
    private const string Parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void Continue_CallFromOutside_StartsAtHopZero()
    {
        var trace = TraceContext.Continue(Parent, null, null);

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", trace.TraceId);
        Assert.Equal("b7ad6b7169203331", trace.ParentSpanId);
        Assert.Equal(0, trace.Hops);
        Assert.Equal("nimbus=hops:0", trace.TraceState);
    }

    [Fact]
    public void Continue_CallFromAFunction_IsOneHopFurtherThanTheCaller()
    {
        var trace = TraceContext.Continue(Parent, "other=x, nimbus=hops:3", null);

        Assert.Equal(4, trace.Hops);
        Assert.EndsWith(";Lineage=nimbus:4", trace.XRayTraceId, StringComparison.Ordinal);
    }

    [Fact]
    public void Continue_XRayHeaderOnly_AsTheAwsSdkForwardsIt_ContinuesItsTraceAndHops()
    {
        var trace = TraceContext.Continue(null, null, "Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=b7ad6b7169203331;Sampled=1;Lineage=nimbus:7");

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", trace.TraceId);
        Assert.Equal("b7ad6b7169203331", trace.ParentSpanId);
        Assert.Equal(8, trace.Hops);
    }

    [Fact]
    public void Continue_TraceparentWithoutNimbusState_TakesTheHopsFromTheXRayHeader()
    {
        // An OpenTelemetry SDK in the function sends its own traceparent; the AWS SDK still forwards the X-Ray header.
        var trace = TraceContext.Continue(Parent, "vendor=1", "Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=b7ad6b7169203331;Lineage=nimbus:2");

        Assert.Equal(3, trace.Hops);
    }

    [Fact]
    public void XRayTraceId_RoundTripsThroughTheParser()
    {
        var trace = TraceContext.Continue(Parent, "nimbus=hops:1", null);

        Assert.True(XRayHeader.TryParse(trace.XRayTraceId, out var parsed));
        Assert.Equal(trace.TraceId, parsed.TraceId);
        Assert.Equal(trace.SpanId, parsed.ParentSpanId);
        Assert.Equal(trace.Hops, parsed.Hops);
    }

    [Theory]
    [InlineData("Root=1-0af76519-16cd43dd8448eb211c80319")]
    [InlineData("Root=2-0af76519-16cd43dd8448eb211c80319c")]
    [InlineData("Parent=b7ad6b7169203331")]
    [InlineData("Root=1-00000000-000000000000000000000000")]
    public void XRayHeader_Malformed_IsRejected(string header) => Assert.False(XRayHeader.TryParse(header, out _));

    [Fact]
    public void QueuedTrace_KeepsTheCallersHops_SoAnAttemptRunsAtTheAcceptedDepth()
    {
        var accepted = TraceContext.Continue(Parent, "nimbus=hops:4", null);

        var (traceParent, traceState) = QueuedTrace.Decode(QueuedTrace.Encode(accepted));
        var attempt = TraceContext.Continue(traceParent, traceState, null);

        Assert.Equal(accepted.Hops, attempt.Hops);
        Assert.Equal(accepted.SpanId, attempt.ParentSpanId);
    }

    [Fact]
    public void QueuedTrace_FromOutside_IsThePlainTraceparent()
    {
        var accepted = TraceContext.Continue(Parent, null, null);

        Assert.Equal(accepted.TraceParent, QueuedTrace.Encode(accepted));
    }

    [Theory]
    [InlineData(16, null, false)]
    [InlineData(17, null, true)]
    [InlineData(17, RecursiveLoop.Terminate, true)]
    [InlineData(17, RecursiveLoop.Allow, false)]
    [InlineData(0, RecursiveLoop.Terminate, false)]
    public void RecursionGuard_DropsPast16HopsUnlessAllowed(int hops, RecursiveLoop? policy, bool dropped) =>
        Assert.Equal(dropped, RecursionGuard.ShouldDrop(hops, policy));
}
