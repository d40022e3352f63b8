using System.Text;
using Nimbus.Core.Deployments.Shadow;
using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Deployments.Shadow;

public sealed class ShadowComparerTests
{
    [Fact]
    public void Compare_SameOutcomeAndEquivalentJson_IsSame()
    {
        var result = ShadowComparer.Compare(Ok("{\"a\":1,\"b\":2}", 10), Ok("{\"b\":2,\"a\":1.0}", 14));

        Assert.Equal(ShadowDifference.Same, result.Difference);
        Assert.Equal(4, result.LatencyDeltaMs);
    }

    [Fact]
    public void Compare_DifferentBody_IsBodyDiffers()
    {
        Assert.Equal(ShadowDifference.BodyDiffers, ShadowComparer.Compare(Ok("{\"v\":1}", 1), Ok("{\"v\":2}", 1)).Difference);
    }

    [Fact]
    public void Compare_ShadowFails_IsOutcomeDiffers()
    {
        var shadow = new ShadowOutcome(InvocationOutcome.FunctionError, "Error", Encoding.UTF8.GetBytes("{}"), 3);

        Assert.Equal(ShadowDifference.OutcomeDiffers, ShadowComparer.Compare(Ok("{}", 2), shadow).Difference);
    }

    [Fact]
    public void Compare_TimeoutAgainstFunctionError_IsOutcomeDiffers()
    {
        var live = new ShadowOutcome(InvocationOutcome.FunctionError, "Error", default, 3);
        var shadow = new ShadowOutcome(InvocationOutcome.Timeout, null, default, 3);

        Assert.Equal(ShadowDifference.OutcomeDiffers, ShadowComparer.Compare(live, shadow).Difference);
    }

    [Fact]
    public void Compare_BothFailWithDifferentErrorTypes_IsErrorTypeDiffers()
    {
        var live = new ShadowOutcome(InvocationOutcome.FunctionError, "ValidationError", Encoding.UTF8.GetBytes("{}"), 3);
        var shadow = new ShadowOutcome(InvocationOutcome.FunctionError, "TypeError", Encoding.UTF8.GetBytes("{}"), 3);

        Assert.Equal(ShadowDifference.ErrorTypeDiffers, ShadowComparer.Compare(live, shadow).Difference);
    }

    private static ShadowOutcome Ok(string body, double latencyMs) =>
        new(InvocationOutcome.Success, null, Encoding.UTF8.GetBytes(body), latencyMs);
}
