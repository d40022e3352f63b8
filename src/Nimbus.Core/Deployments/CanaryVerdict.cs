namespace Nimbus.Core.Deployments;

/// <summary>A comparison's outcome and, in words, why.</summary>
public sealed record CanaryVerdict(CanaryVerdictKind Kind, string Reason)
{
    public static CanaryVerdict NotCompared { get; } = new(CanaryVerdictKind.Inconclusive, "no comparison");
}
