using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Invocations;

public sealed class RequestIdsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 13, 40, 5, 123, TimeSpan.Zero);

    [Fact]
    public void New_IsALowerCaseUuid_OfVersion7_AndTheRfcVariant()
    {
        var id = RequestIds.New(At);

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        Assert.Equal(7, Guid.Parse(id).Version);
    }

    [Fact]
    public void New_StartsWithTheUnixMilliseconds_SoIdsSortByTime()
    {
        var id = RequestIds.New(At);

        var millis = Convert.ToInt64(id[..8] + id[9..13], 16);
        Assert.Equal(At.ToUnixTimeMilliseconds(), millis);
        Assert.True(string.CompareOrdinal(id, RequestIds.New(At.AddMilliseconds(1))) < 0);
    }

    [Fact]
    public void New_InTheSameMillisecond_DiffersInItsRandomBits()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestIds.New(At)).ToHashSet();

        Assert.Equal(10_000, ids.Count);
        Assert.Single(ids.Select(id => id[..13]).Distinct());
    }
}
