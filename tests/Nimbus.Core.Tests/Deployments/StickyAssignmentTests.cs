using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class StickyAssignmentTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(90)]
    public void Assign_TenThousandKeys_PutsTheShareWithinTwoPointsOnTheCandidate(double percent)
    {
        var candidates = Enumerable.Range(0, 10_000).Count(i => StickyAssignment.Assign($"user-{i}", percent, "d-1") == AbVariant.Candidate);

        Assert.InRange(candidates, (percent - 2) * 100, (percent + 2) * 100);
    }

    [Fact]
    public void Assign_SameKey_AlwaysGivesTheSameVariant()
    {
        var first = Enumerable.Range(0, 1000).Select(i => StickyAssignment.Assign($"key-{i}", 30, "d-1")).ToArray();
        var again = Enumerable.Range(0, 1000).Select(i => StickyAssignment.Assign($"key-{i}", 30, "d-1")).ToArray();

        Assert.Equal(first, again);
    }

    [Fact]
    public void Bucket_IsStableAcrossProcesses()
    {
        // Pinned values: a change to the hash would move every user between variants mid-experiment.
        Assert.Equal([StickyAssignment.Bucket("alice", "d-1"), StickyAssignment.Bucket("bob", "d-1")], [Pinned("alice"), Pinned("bob")]);
    }

    [Fact]
    public void Assign_RaisingThePercent_NeverMovesACandidateBackToBaseline()
    {
        var keys = Enumerable.Range(0, 2000).Select(i => $"k{i}").ToArray();

        var at10 = keys.Where(k => StickyAssignment.Assign(k, 10) == AbVariant.Candidate).ToHashSet();
        var at50 = keys.Where(k => StickyAssignment.Assign(k, 50) == AbVariant.Candidate).ToHashSet();

        Assert.Subset(at50, at10);
    }

    [Fact]
    public void Assign_DifferentSalts_SplitTheSameKeysDifferently()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => $"k{i}").ToArray();

        var a = keys.Where(k => StickyAssignment.Assign(k, 50, "d-1") == AbVariant.Candidate).ToHashSet();
        var b = keys.Where(k => StickyAssignment.Assign(k, 50, "d-2") == AbVariant.Candidate).ToHashSet();

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(0, AbVariant.Baseline)]
    [InlineData(100, AbVariant.Candidate)]
    public void Assign_AtTheEnds_PutsEveryKeyOnOneSide(double percent, AbVariant expected)
    {
        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal(expected, StickyAssignment.Assign($"u{i}", percent)));
    }

    private static int Pinned(string key) => key switch
    {
        "alice" => 3782,
        _ => 5523,
    };
}
