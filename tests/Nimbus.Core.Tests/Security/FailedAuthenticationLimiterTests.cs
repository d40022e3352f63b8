using Nimbus.Core.Security;

namespace Nimbus.Core.Tests.Security;

public sealed class FailedAuthenticationLimiterTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BlockedUntil_AfterMaxFailuresInTheWindow_BlocksThatAddressUntilTheWindowEnds()
    {
        var limiter = new FailedAuthenticationLimiter(3, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 2; i++)
        {
            limiter.RecordFailure("10.0.0.1", s_start.AddSeconds(i));
        }

        Assert.Null(limiter.BlockedUntil("10.0.0.1", s_start.AddSeconds(2)));
        limiter.RecordFailure("10.0.0.1", s_start.AddSeconds(3));

        Assert.Equal(s_start.AddMinutes(1), limiter.BlockedUntil("10.0.0.1", s_start.AddSeconds(4)));
        Assert.Null(limiter.BlockedUntil("10.0.0.2", s_start.AddSeconds(4)));
        Assert.Null(limiter.BlockedUntil("10.0.0.1", s_start.AddMinutes(1)));
    }

    [Fact]
    public void RecordFailure_AfterTheWindow_StartsCountingAgain()
    {
        var limiter = new FailedAuthenticationLimiter(2, TimeSpan.FromMinutes(1));
        limiter.RecordFailure("a", s_start);
        limiter.RecordFailure("a", s_start.AddMinutes(2));

        Assert.Null(limiter.BlockedUntil("a", s_start.AddMinutes(2)));
    }
}
