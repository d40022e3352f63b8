namespace Nimbus.Core.Deployments;

/// <summary>One version's calls over the comparison window: how many, how many failed, and their p99 latency (null when unknown).</summary>
public sealed record VersionWindow(long Calls, long Errors, double? P99Milliseconds)
{
    public double ErrorRate => Calls == 0 ? 0 : (double)Errors / Calls;
}
