using Nimbus.Core.Instances;

namespace Nimbus.Core.Tests.Instances;

public sealed class InstanceTransitionsTests
{
    public static TheoryData<InstanceState, InstanceState> Legal => new()
    {
        { InstanceState.Starting, InstanceState.Busy },
        { InstanceState.Starting, InstanceState.Idle },
        { InstanceState.Starting, InstanceState.Draining },
        { InstanceState.Starting, InstanceState.Dead },
        { InstanceState.Idle, InstanceState.Busy },
        { InstanceState.Idle, InstanceState.Draining },
        { InstanceState.Idle, InstanceState.Dead },
        { InstanceState.Busy, InstanceState.Idle },
        { InstanceState.Busy, InstanceState.Draining },
        { InstanceState.Busy, InstanceState.Dead },
        { InstanceState.Draining, InstanceState.Dead },
    };

    public static TheoryData<InstanceState, InstanceState> Illegal
    {
        get
        {
            var legal = Legal.Select(row => ((InstanceState)row[0], (InstanceState)row[1])).ToHashSet();
            var data = new TheoryData<InstanceState, InstanceState>();
            foreach (var from in Enum.GetValues<InstanceState>())
            {
                foreach (var to in Enum.GetValues<InstanceState>())
                {
                    if (!legal.Contains((from, to)))
                    {
                        data.Add(from, to);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Legal))]
    public void IsAllowed_ForATransitionOfTheLifecycleTable_IsTrue(InstanceState from, InstanceState to) =>
        Assert.True(InstanceTransitions.IsAllowed(from, to), $"{from} → {to} must be allowed");

    [Theory]
    [MemberData(nameof(Illegal))]
    public void IsAllowed_ForAnyOtherPair_IsFalse(InstanceState from, InstanceState to) =>
        Assert.False(InstanceTransitions.IsAllowed(from, to), $"{from} → {to} must be refused");

    [Fact]
    public void IllegalPairs_AreEveryPairNotInTheTable_IncludingDeadToAnythingAndStayingPut()
    {
        // 5 × 5 pairs, 11 legal: the other 14 include all 5 from Dead and the 5 "to itself".
        Assert.Equal(14, Illegal.Count());
        foreach (var to in Enum.GetValues<InstanceState>())
        {
            Assert.False(InstanceTransitions.IsAllowed(InstanceState.Dead, to), $"Dead → {to}");
        }
    }

    [Fact]
    public void IsAllowed_ForAValueOutsideTheEnum_IsFalse() =>
        Assert.False(InstanceTransitions.IsAllowed((InstanceState)99, InstanceState.Dead));
}
