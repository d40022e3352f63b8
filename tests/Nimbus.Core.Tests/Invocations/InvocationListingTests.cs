using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Invocations;

public class InvocationListingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static InvocationRecord Record(string requestId, int second, InvocationOutcome outcome = InvocationOutcome.Success) =>
        new(requestId, "fn", "1", null, T0.AddSeconds(second), 1, null, false, outcome, null, 10, null);

    [Fact]
    public void Merge_PutsTheCurrentFirst_ThenEarlierRecordsItDoesNotName_UpToTheLimit()
    {
        var current = new[] { Record("c2", 20), Record("c1", 10) };
        var earlier = new[] { Record("c1", 9, InvocationOutcome.Timeout), Record("e2", 5), Record("e1", 1) };

        var merged = InvocationListing.Merge(current, earlier, 3);

        Assert.Equal(["c2", "c1", "e2"], merged.Select(r => r.RequestId));
        Assert.Equal(InvocationOutcome.Success, merged[1].Outcome);
    }

    [Fact]
    public void Merge_WithNothingEarlier_IsTheCurrentList_AndALimitBelowItCuts()
    {
        var current = new[] { Record("c2", 20), Record("c1", 10) };

        Assert.Same(current, InvocationListing.Merge(current, [], 5));
        Assert.Equal(["c2"], InvocationListing.Merge(current, [], 1).Select(r => r.RequestId));
        Assert.Equal(["e1"], InvocationListing.Merge([], [Record("e1", 1)], 5).Select(r => r.RequestId));
    }
}
