using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class DeploymentTransitionsTests
{
    private static readonly DeploymentState[] s_ends =
        [DeploymentState.RolledBack, DeploymentState.Stopped, DeploymentState.Failed];

    public static TheoryData<DeploymentState, DeploymentState> Legal
    {
        get
        {
            var data = new TheoryData<DeploymentState, DeploymentState>
            {
                { DeploymentState.Pending, DeploymentState.PreTraffic },
                { DeploymentState.Pending, DeploymentState.Shifting },
                { DeploymentState.Pending, DeploymentState.Baking },
                { DeploymentState.Pending, DeploymentState.PostTraffic },
                { DeploymentState.Pending, DeploymentState.Succeeded },
                { DeploymentState.PreTraffic, DeploymentState.Shifting },
                { DeploymentState.PreTraffic, DeploymentState.Baking },
                { DeploymentState.PreTraffic, DeploymentState.PostTraffic },
                { DeploymentState.PreTraffic, DeploymentState.Succeeded },
                { DeploymentState.Shifting, DeploymentState.Shifting },
                { DeploymentState.Shifting, DeploymentState.Baking },
                { DeploymentState.Shifting, DeploymentState.PostTraffic },
                { DeploymentState.Shifting, DeploymentState.Succeeded },
                { DeploymentState.Baking, DeploymentState.PostTraffic },
                { DeploymentState.Baking, DeploymentState.Succeeded },
                { DeploymentState.PostTraffic, DeploymentState.Succeeded },
            };
            foreach (var from in new[] { DeploymentState.Pending, DeploymentState.PreTraffic, DeploymentState.Shifting, DeploymentState.Baking, DeploymentState.PostTraffic })
            {
                foreach (var end in s_ends)
                {
                    data.Add(from, end);
                }
            }

            return data;
        }
    }

    public static TheoryData<DeploymentState, DeploymentState> Illegal
    {
        get
        {
            var legal = Legal.Select(row => ((DeploymentState)row[0], (DeploymentState)row[1])).ToHashSet();
            var data = new TheoryData<DeploymentState, DeploymentState>();
            foreach (var from in Enum.GetValues<DeploymentState>())
            {
                foreach (var to in Enum.GetValues<DeploymentState>())
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
    public void IsAllowed_LegalTransition_IsAllowed(DeploymentState from, DeploymentState to) =>
        Assert.True(DeploymentTransitions.IsAllowed(from, to));

    [Theory]
    [MemberData(nameof(Illegal))]
    public void IsAllowed_AnyOtherTransition_IsRefused(DeploymentState from, DeploymentState to) =>
        Assert.False(DeploymentTransitions.IsAllowed(from, to));

    [Fact]
    public void IsAllowed_TerminalState_IsNeverLeft()
    {
        foreach (var terminal in Enum.GetValues<DeploymentState>().Where(DeploymentTransitions.IsTerminal))
        {
            Assert.All(Enum.GetValues<DeploymentState>(), to => Assert.False(DeploymentTransitions.IsAllowed(terminal, to)));
        }
    }

    [Theory]
    [InlineData(DeploymentState.Pending, DeploymentStatus.InProgress)]
    [InlineData(DeploymentState.PreTraffic, DeploymentStatus.InProgress)]
    [InlineData(DeploymentState.Shifting, DeploymentStatus.InProgress)]
    [InlineData(DeploymentState.Baking, DeploymentStatus.InProgress)]
    [InlineData(DeploymentState.PostTraffic, DeploymentStatus.InProgress)]
    [InlineData(DeploymentState.Succeeded, DeploymentStatus.Succeeded)]
    [InlineData(DeploymentState.RolledBack, DeploymentStatus.RolledBack)]
    [InlineData(DeploymentState.Stopped, DeploymentStatus.Stopped)]
    [InlineData(DeploymentState.Failed, DeploymentStatus.Failed)]
    public void ToStatus_GivesTheExternalStatus(DeploymentState state, DeploymentStatus status) =>
        Assert.Equal(status, DeploymentTransitions.ToStatus(state));

    [Fact]
    public void IsAllowed_OutOfRangeState_IsRefused() =>
        Assert.False(DeploymentTransitions.IsAllowed((DeploymentState)42, DeploymentState.Failed));
}
