namespace Nimbus.Core.Slos;

/// <summary>Evaluates multiwindow burn-rate rules from good/total counts per window. Pure.</summary>
public static class BurnRateEvaluator
{
    /// <param name="countsByWindow">Counts over the trailing window ending now, keyed by window length; a window not
    /// given counts as no invocations (burn 0).</param>
    public static IReadOnlyList<BurnRateVerdict> Evaluate(
        double objectivePercent,
        IReadOnlyDictionary<TimeSpan, SloCounts> countsByWindow,
        IEnumerable<BurnRateAlert> alerts) =>
        alerts.Select(alert => new BurnRateVerdict(
                alert,
                BurnRate.Of(countsByWindow.GetValueOrDefault(alert.LongWindow), objectivePercent),
                BurnRate.Of(countsByWindow.GetValueOrDefault(alert.ShortWindow), objectivePercent)))
            .ToList();

    /// <summary>The most urgent firing severity, or null when no rule fires.</summary>
    public static SloAlertSeverity? Worst(IEnumerable<BurnRateVerdict> verdicts) =>
        verdicts.Where(v => v.IsFiring).Select(v => (SloAlertSeverity?)v.Alert.Severity).Min();
}
