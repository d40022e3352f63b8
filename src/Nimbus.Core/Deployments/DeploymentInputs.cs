namespace Nimbus.Core.Deployments;

/// <summary>
/// What the controller observes besides the persisted deployment and the time: the new version's watched alarms,
/// the hook reports received (by hook execution id), the comparison verdict, the error budget, freeze windows, and a
/// user's command.
/// </summary>
public sealed record DeploymentInputs(
    IReadOnlyList<WatchedAlarm> Alarms,
    IReadOnlyDictionary<string, HookStatus> HookResults,
    CanaryVerdict Verdict,
    BudgetObservation Budget,
    IReadOnlyList<FreezeWindow> FreezeWindows,
    DeploymentCommand Command)
{
    /// <summary>Nothing observed: no alarm, no hook report, no verdict, no budget figures, no freeze, no command.</summary>
    public static DeploymentInputs Quiet { get; } = new(
        [], new Dictionary<string, HookStatus>(), CanaryVerdict.NotCompared, BudgetObservation.Unknown, [], DeploymentCommand.None);
}
