namespace Nimbus.Core.Deployments;

/// <summary>
/// A parsed deployment strategy (immutable). <see cref="Percent"/> is the new version's share in percent for canary
/// (first step), linear (each increment), shadow (the mirrored share) and A/B (the sticky share);
/// <see cref="Interval"/> is the time between shifts; <see cref="BakeTime"/> how long 100% is held, with the old
/// version kept warm, before the deployment completes; <see cref="Duration"/> how long a shadow or A/B runs before it
/// waits for promote or rollback.
/// </summary>
public sealed record DeploymentStrategy(
    DeploymentStrategyKind Kind,
    double Percent,
    TimeSpan Interval,
    TimeSpan BakeTime,
    TimeSpan Duration,
    AbKey? Key,
    string? PredefinedName)
{
    /// <summary>The name shown to users: the predefined name when it had one, otherwise a short description.</summary>
    public string DisplayName => PredefinedName ?? Kind switch
    {
        DeploymentStrategyKind.Canary => $"canary {DurationText.Format(Percent)}% for {DurationText.Format(Interval)}",
        DeploymentStrategyKind.Linear => $"linear {DurationText.Format(Percent)}% every {DurationText.Format(Interval)}",
        DeploymentStrategyKind.BlueGreen => $"BlueGreen (bake {DurationText.Format(BakeTime)})",
        DeploymentStrategyKind.Shadow => $"shadow {DurationText.Format(Percent)}% for {DurationText.Format(Duration)}",
        DeploymentStrategyKind.AB => $"AB {DurationText.Format(Percent)}% by {Key} for {DurationText.Format(Duration)}",
        _ => "AllAtOnce",
    };
}
