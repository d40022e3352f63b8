using Nimbus.Core.Sandbox;

namespace Nimbus.Core.Tests.Sandbox;

public class SandboxPolicyTests
{
    private static readonly SandboxHostFacts s_capable = new(IsLinux: true, IsRoot: true, BubblewrapPath: "/usr/bin/bwrap", BubblewrapProbeError: null, CgroupError: null);

    [Fact]
    public void Decide_RootWithBubblewrapAndCgroup_SandboxesWithKernelMemoryLimits()
    {
        var verdict = SandboxPolicy.Decide(s_capable, unsandboxedRequested: false);

        Assert.Equal(SandboxMode.Bubblewrap, verdict.Mode);
        Assert.False(verdict.Refused);
        Assert.Empty(verdict.Reasons);
        Assert.Equal(MemoryEnforcement.Cgroup, verdict.Memory);
    }

    [Fact]
    public void Decide_NoWritableCgroup_SandboxesAndFallsBackToTheWatchdogSayingWhy()
    {
        var verdict = SandboxPolicy.Decide(s_capable with { CgroupError = "v1 layout" }, unsandboxedRequested: false);

        Assert.Equal(SandboxMode.Bubblewrap, verdict.Mode);
        Assert.Equal(MemoryEnforcement.Watchdog, verdict.Memory);
        Assert.Equal("v1 layout", verdict.MemoryReason);
    }

    [Fact]
    public void Decide_NotRootAndNoBubblewrap_RefusesNamingBothReasons()
    {
        var verdict = SandboxPolicy.Decide(s_capable with { IsRoot = false, BubblewrapPath = null }, unsandboxedRequested: false);

        Assert.True(verdict.Refused);
        Assert.Equal(SandboxMode.Unsandboxed, verdict.Mode);
        Assert.Collection(verdict.Reasons,
            r => Assert.Contains("not running as root", r),
            r => Assert.Contains("bubblewrap is not installed", r));
    }

    [Fact]
    public void Decide_TrialSandboxFails_RefusesWithBwrapsMessage()
    {
        var verdict = SandboxPolicy.Decide(s_capable with { BubblewrapProbeError = "bwrap: No permissions to creating new namespace" }, unsandboxedRequested: false);

        Assert.True(verdict.Refused);
        Assert.Contains("No permissions to creating new namespace", Assert.Single(verdict.Reasons));
    }

    [Fact]
    public void Decide_UnsandboxedRequested_RunsUnsandboxedEvenWhereASandboxWorks()
    {
        var verdict = SandboxPolicy.Decide(s_capable, unsandboxedRequested: true);

        Assert.False(verdict.Refused);
        Assert.Equal(SandboxMode.Unsandboxed, verdict.Mode);
        Assert.Equal("turned off with --unsandboxed", Assert.Single(verdict.Reasons));
    }

    [Fact]
    public void Decide_NotLinux_Refuses()
    {
        var verdict = SandboxPolicy.Decide(s_capable with { IsLinux = false }, unsandboxedRequested: false);

        Assert.True(verdict.Refused);
        Assert.Contains("not Linux", Assert.Single(verdict.Reasons));
    }

    [Theory]
    [InlineData(null, 200_000)]
    [InlineData(200_000, 200_001)]
    [InlineData(5, 200_000)]
    public void FunctionUserRange_Next_AllocatesInSequenceFromTheFirst(int? highest, int expected) =>
        Assert.Equal(expected, FunctionUserRange.Next(highest));

    [Fact]
    public void FunctionUserRange_Next_WhenExhausted_Throws() =>
        Assert.Throws<InvalidOperationException>(() => FunctionUserRange.Next(FunctionUserRange.First + FunctionUserRange.Count - 1));
}
