using System.Globalization;
using Nimbus.Core.Tracing;

namespace Nimbus.Core.Tests.Tracing;

public class TraceIdTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewTraceId_StartsWithTheUnixSecondsAsAnXRayTraceIdDoes()
    {
        var id = TraceContext.NewTraceId(Noon.AddMilliseconds(250));

        Assert.Equal(32, id.Length);
        Assert.Equal(Noon.ToUnixTimeSeconds(), long.Parse(id[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal("4000", id[8..12]); // a quarter of the second, in 65,536ths
        Assert.True(TraceContext.TryParse($"00-{id}-b7ad6b7169203331-01", out var parsed, out _, out _), "a valid W3C trace id");
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void NewTraceId_LaterIdsSortAfterEarlierOnes()
    {
        var ids = Enumerable.Range(0, 200).Select(i => TraceContext.NewTraceId(Noon.AddMilliseconds(i * 7))).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void NewTraceId_SameInstant_DiffersInTheRandomPart()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => TraceContext.NewTraceId(Noon)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(ids[0][..12], id, StringComparison.Ordinal));
    }

    [Fact]
    public void ANewTrace_CarriesItsStartTimeIntoTheXRayHeader()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var trace = TraceContext.Continue(null, null, null);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var epoch = long.Parse(trace.XRayTraceId["Root=1-".Length..("Root=1-".Length + 8)], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(epoch, before, after);
    }
}
