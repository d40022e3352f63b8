using Nimbus.Core.Instances;

namespace Nimbus.Core.Tests.Instances;

public sealed class MemorySampleScheduleTests
{
    [Theory]
    [InlineData(InstanceState.Busy)]
    [InlineData(InstanceState.Starting)]
    public void AnInstanceThatIsWorking_IsReadOnEveryTick(InstanceState state)
    {
        for (var tick = 0L; tick < 25; tick++)
        {
            Assert.True(MemorySampleSchedule.IsDue(state, 4321, tick));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4321)]
    [InlineData(99_999)]
    public void AnIdleInstance_IsReadOnceInEveryTenConsecutiveTicks(int processId)
    {
        for (var first = 0L; first < 30; first++)
        {
            var due = Enumerable.Range(0, MemorySampleSchedule.IdleEvery).Count(offset => MemorySampleSchedule.IsDue(InstanceState.Idle, processId, first + offset));
            Assert.Equal(1, due);
        }
    }

    [Fact]
    public void SixtyFourIdleInstances_AreSpreadOverTheTicks_NotReadTogether()
    {
        var pids = Enumerable.Range(30_000, 64).ToArray();
        var perTick = Enumerable.Range(0, MemorySampleSchedule.IdleEvery)
            .Select(tick => pids.Count(pid => MemorySampleSchedule.IsDue(InstanceState.Idle, pid, tick)))
            .ToArray();

        Assert.Equal(64, perTick.Sum());
        Assert.All(perTick, count => Assert.InRange(count, 6, 7));
    }

    [Theory]
    [InlineData(InstanceState.Draining, 4321)]
    [InlineData(InstanceState.Dead, 4321)]
    [InlineData(InstanceState.Busy, 0)]
    [InlineData(InstanceState.Idle, 0)]
    public void AnInstanceLeavingOrWithoutAProcess_IsNeverRead(InstanceState state, int processId)
    {
        for (var tick = 0L; tick < 25; tick++)
        {
            Assert.False(MemorySampleSchedule.IsDue(state, processId, tick));
        }
    }
}
