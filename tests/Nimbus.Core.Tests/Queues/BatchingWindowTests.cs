using Nimbus.Core.Queues;

namespace Nimbus.Core.Tests.Queues;

public class BatchingWindowTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFullBatch_IsInvokedAtOnce() =>
        Assert.True(BatchingWindow.ShouldInvoke(10, 10, TimeSpan.FromSeconds(2), s_t0, s_t0));

    [Fact]
    public void APartialBatch_WaitsForTheWindow_ThenIsInvoked()
    {
        Assert.False(BatchingWindow.ShouldInvoke(3, 10, TimeSpan.FromSeconds(2), s_t0, s_t0.AddSeconds(1.9)));
        Assert.True(BatchingWindow.ShouldInvoke(3, 10, TimeSpan.FromSeconds(2), s_t0, s_t0.AddSeconds(2)));
        Assert.Equal(s_t0.AddSeconds(2), BatchingWindow.DueAt(TimeSpan.FromSeconds(2), s_t0));
    }

    [Fact]
    public void WithoutAWindow_AnyMessageIsInvokedAtOnce_AndNoMessageNever()
    {
        Assert.True(BatchingWindow.ShouldInvoke(1, 10, TimeSpan.Zero, s_t0, s_t0));
        Assert.False(BatchingWindow.ShouldInvoke(0, 10, TimeSpan.Zero, s_t0, s_t0.AddHours(1)));
    }
}
