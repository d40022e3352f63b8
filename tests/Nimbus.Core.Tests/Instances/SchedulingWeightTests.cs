using Nimbus.Core.Instances;

namespace Nimbus.Core.Tests.Instances;

public sealed class SchedulingWeightTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, -3)]
    [InlineData(4, -6)]
    [InlineData(16, -12)]
    [InlineData(64, -19)]
    public void TheNiceValue_WeighsAsManyOneSlotProcesses(int slots, int nice) =>
        Assert.Equal(nice, SchedulingWeight.NiceFor(slots));

    [Fact]
    public void EverySlotCount_GetsAWeightWithinHalfANiceStepOfItsSlots()
    {
        for (var slots = 1; slots <= 64; slots++)
        {
            var ratio = SchedulingWeight.RelativeWeight(SchedulingWeight.NiceFor(slots)) / slots;
            // Rounding to the nearest step leaves at most half a step (1.25^0.5 ≈ 1.118) either way.
            Assert.InRange(ratio, 1 / Math.Sqrt(SchedulingWeight.StepRatio), Math.Sqrt(SchedulingWeight.StepRatio));
        }
    }

    [Fact]
    public void NoSlotCount_GoesPastTheMostFavourableNice() =>
        Assert.Equal(SchedulingWeight.MostFavourable, SchedulingWeight.NiceFor(100_000_000));

    [Fact]
    public void ZeroSlots_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SchedulingWeight.NiceFor(0));
}
