namespace Nimbus.Core.Slos;

/// <summary>
/// An objective's error budget over its window: <see cref="Budget"/> bad invocations allowed
/// (total × (1 − objective)), <see cref="Consumed"/> bad ones so far, <see cref="RemainingFraction"/>
/// (1 − consumed / budget; below 0 when overspent) and <see cref="AttainmentPercent"/> (good / total; null with no
/// invocations, when the whole budget remains).
/// </summary>
public sealed record ErrorBudget(double ObjectivePercent, double Budget, long Consumed, double RemainingFraction, double? AttainmentPercent)
{
    public bool IsExhausted => RemainingFraction <= 0;

    public static ErrorBudget From(double objectivePercent, SloCounts counts)
    {
        // decimal keeps 99.9 % of 10 000 at exactly 10 allowed, not 10.000000000000009.
        var allowedRatio = (100m - (decimal)objectivePercent) / 100m;
        var budget = counts.Total * allowedRatio;
        var remaining = counts.Total == 0 ? 1m : budget == 0 ? (counts.Bad == 0 ? 1m : 0m) : 1m - (counts.Bad / budget);
        double? attainment = counts.Total == 0 ? null : (double)(100m * counts.Good / counts.Total);
        return new ErrorBudget(objectivePercent, (double)budget, counts.Bad, (double)remaining, attainment);
    }
}
