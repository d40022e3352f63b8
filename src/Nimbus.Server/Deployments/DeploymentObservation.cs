using Nimbus.Core.Deployments;

namespace Nimbus.Server.Deployments;

/// <summary>What the signals seam reports for one deployment: its new version's alarms, the comparison, the budget and freezes.</summary>
public sealed record DeploymentObservation(
    IReadOnlyList<WatchedAlarm> Alarms,
    CanaryVerdict Verdict,
    BudgetObservation Budget,
    IReadOnlyList<FreezeWindow> FreezeWindows)
{
    public static DeploymentObservation None { get; } = new([], CanaryVerdict.NotCompared, BudgetObservation.Unknown, []);
}
