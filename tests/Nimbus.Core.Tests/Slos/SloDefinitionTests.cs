using Nimbus.Core.Slos;

namespace Nimbus.Core.Tests.Slos;

public sealed class SloDefinitionTests
{
    [Fact]
    public void Availability_CountsSucceededAsGood_OverThirtyDaysByDefault()
    {
        var slo = SloDefinition.Availability("availability", "checkout", 99.9);

        Assert.Equal(TimeSpan.FromDays(30), slo.Window);
        Assert.True(slo.IsGood(succeeded: true, TimeSpan.FromSeconds(10)));
        Assert.False(slo.IsGood(succeeded: false, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Latency_CountsDurationUnderTheThresholdAsGood()
    {
        var slo = SloDefinition.Latency("fast", "checkout", TimeSpan.FromMilliseconds(300), 99);

        Assert.True(slo.IsGood(succeeded: true, TimeSpan.FromMilliseconds(299)));
        Assert.False(slo.IsGood(succeeded: true, TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_ObjectiveOutsideTheOpenPercentRange_IsRejected(double objective) =>
        Assert.Equal(["objective"], SloDefinitionValidator.Validate(SloDefinition.Availability("a", "f", objective)).Select(e => e.Field));

    [Fact]
    public void Validate_LatencyWithoutThreshold_IsRejected() =>
        Assert.Equal(["latency"], SloDefinitionValidator.Validate(new SloDefinition("fast", "f", SloKind.Latency, 99)).Select(e => e.Field));

    [Fact]
    public void Validate_ShortWindow_IsRejected() =>
        Assert.Equal(
            ["window"],
            SloDefinitionValidator.Validate(SloDefinition.Availability("a", "f", 99) with { Window = TimeSpan.FromMinutes(5) }).Select(e => e.Field));
}
