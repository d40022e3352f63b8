using Nimbus.Core.Instances;

namespace Nimbus.Core.Tests.Instances;

public class StartingSlotsTests
{
    [Fact]
    public void TryPromise_WithoutAStartingInstance_IsRefused() => Assert.False(new StartingSlots().TryPromise());

    [Fact]
    public void TryPromise_GivesOutEachSpareSlotOnce()
    {
        var slots = new StartingSlots();
        slots.InstanceStarting(spare: 3);

        Assert.True(slots.TryPromise());
        Assert.True(slots.TryPromise());
        Assert.True(slots.TryPromise());
        Assert.False(slots.TryPromise());
        Assert.Equal(3, slots.Promised);
    }

    [Fact]
    public void ReleasePromise_MakesTheSlotPromisableAgain()
    {
        var slots = new StartingSlots();
        slots.InstanceStarting(spare: 1);
        Assert.True(slots.TryPromise());

        slots.ReleasePromise();

        Assert.True(slots.TryPromise());
    }

    [Fact]
    public void InstanceStarted_WithdrawsItsSlots_SoNoNewPromiseIsMadeOnThem()
    {
        var slots = new StartingSlots();
        slots.InstanceStarting(spare: 2);
        slots.InstanceStarting(spare: 1);
        Assert.True(slots.TryPromise());

        slots.InstanceStarted(spare: 2);

        Assert.Equal(1, slots.Spare);
        Assert.False(slots.TryPromise()); // the one promise made already covers the remaining slot
        slots.ReleasePromise();
        Assert.True(slots.TryPromise());
    }

    [Fact]
    public void Counts_NeverGoBelowZero()
    {
        var slots = new StartingSlots();
        slots.InstanceStarted(spare: 4);
        slots.ReleasePromise();

        Assert.Equal(0, slots.Spare);
        Assert.Equal(0, slots.Promised);
    }
}
