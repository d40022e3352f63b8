namespace Nimbus.Core.Deployments;

/// <summary>
/// The steps a strategy takes, as a pure function of the strategy: canary gives P% for one interval then 100%;
/// linear gives P, 2P, … (capped at 100) one interval apart; AllAtOnce and BlueGreen give 100% at once; shadow and A/B
/// hold one step (mirrored or sticky) for their duration and end only by promote or rollback.
/// </summary>
public static class WeightSchedule
{
    public static IReadOnlyList<WeightStep> For(DeploymentStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        switch (strategy.Kind)
        {
            case DeploymentStrategyKind.Canary:
                return
                [
                    new(0, TimeSpan.Zero, strategy.Percent, TrafficMode.Weighted),
                    new(1, strategy.Interval, 100, TrafficMode.Weighted),
                ];
            case DeploymentStrategyKind.Linear:
                {
                    // Whole multiples computed from the index, not by repeated addition, so 30% is exactly 3 × 10%.
                    var count = (int)Math.Ceiling(100 / strategy.Percent - 1e-9);
                    var steps = new List<WeightStep>(count);
                    for (var i = 0; i < count; i++)
                    {
                        var percent = Math.Min(100, strategy.Percent * (i + 1));
                        steps.Add(new(i, strategy.Interval * i, i == count - 1 ? 100 : percent, TrafficMode.Weighted));
                    }

                    return steps;
                }

            case DeploymentStrategyKind.Shadow:
                return [new(0, TimeSpan.Zero, strategy.Percent, TrafficMode.Shadow)];
            case DeploymentStrategyKind.AB:
                return [new(0, TimeSpan.Zero, strategy.Percent, TrafficMode.Sticky)];
            default:
                return [new(0, TimeSpan.Zero, 100, TrafficMode.Weighted)];
        }
    }

    /// <summary>Whether the strategy's last step sends every call to the new version (shadow and A/B do not: they wait for promote).</summary>
    public static bool EndsAtFullTraffic(DeploymentStrategy strategy) =>
        strategy.Kind is not (DeploymentStrategyKind.Shadow or DeploymentStrategyKind.AB);
}
