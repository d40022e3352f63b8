using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Invocations;

public sealed class RequestKeysTests
{
    [Fact]
    public void AVersion7Id_IsItsFirstEightBytes_SoLaterIdsHaveLargerKeys()
    {
        var t0 = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        var keys = Enumerable.Range(0, 50).Select(i => RequestKeys.Of(RequestIds.New(t0.AddMilliseconds(i)))).ToList();

        Assert.Equal(keys.Order(), keys);
        Assert.Equal(50, keys.Distinct().Count());
        Assert.Equal(0x01a242fe0fd772c2L, RequestKeys.Of("01a242fe-0fd7-72c2-aaf7-1500c5fa862e"));
        Assert.Equal(t0.ToUnixTimeMilliseconds(), keys[0] >>> 16);
    }

    [Fact]
    public void AnIdThatIsNotAUuid_IsHashed_TheSameEveryTime()
    {
        Assert.Equal(RequestKeys.Of("req-1"), RequestKeys.Of("req-1"));
        Assert.NotEqual(RequestKeys.Of("req-1"), RequestKeys.Of("req-2"));
        // FNV-1a 64 of the empty string is its offset basis.
        Assert.Equal(unchecked((long)14695981039346656037UL), RequestKeys.Of(""));
    }
}
