using Nimbus.Core.Alarms;
using Nimbus.Core.Slos;

namespace Nimbus.Core.Api;

/// <summary>
/// An objective now, as <c>GET /api/v1/slos</c> and <c>nimbus slo status</c> show it: counts over the window,
/// attainment, the error budget (<see cref="BudgetRemaining"/> is a fraction, below 0 when overspent), the burn rate of
/// each SRE-workbook rule over its two windows, and <see cref="AlertState"/>: <c>OK</c>, <c>TICKET</c> or <c>PAGE</c>
/// (the most urgent firing rule).
/// </summary>
public sealed record SloStatus(
    string Name,
    string Function,
    string? Alias,
    string Kind,
    double Objective,
    string Window,
    double? LatencyMs,
    long Good,
    long Total,
    double? Attainment,
    double BudgetAllowed,
    long BudgetConsumed,
    double BudgetRemaining,
    bool BudgetExhausted,
    IReadOnlyList<SloBurnRate> BurnRates,
    string AlertState)
{
    public const string Ok = "OK";

    /// <summary>The burn rate a deployment gate reads: the shortest long window's (1 h), the most current figure.</summary>
    public double CurrentBurnRate => BurnRates.Count == 0 ? 0 : BurnRates.MinBy(b => b.LongWindowSeconds)!.LongBurnRate;

    public static SloStatus From(SloDefinition slo, SloCounts window, IReadOnlyDictionary<TimeSpan, SloCounts> burnWindows, IReadOnlyList<BurnRateAlert> rules)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var budget = ErrorBudget.From(slo.ObjectivePercent, window);
        var verdicts = BurnRateEvaluator.Evaluate(slo.ObjectivePercent, burnWindows, rules);
        var worst = BurnRateEvaluator.Worst(verdicts);
        return new SloStatus(
            slo.Name, slo.Function, slo.Alias, slo.Kind == SloKind.Latency ? "latency" : "availability", slo.ObjectivePercent,
            MonitoringDuration.Format(slo.Window), slo.LatencyThreshold?.TotalMilliseconds, window.Good, window.Total, budget.AttainmentPercent,
            budget.Budget, budget.Consumed, budget.RemainingFraction, budget.IsExhausted,
            verdicts.Select(v => new SloBurnRate(v.Alert.Name, v.Alert.Severity == SloAlertSeverity.Page ? "page" : "ticket", v.Alert.Threshold,
                (long)v.Alert.LongWindow.TotalSeconds, (long)v.Alert.ShortWindow.TotalSeconds, v.LongBurnRate, v.ShortBurnRate, v.IsFiring)).ToList(),
            worst switch { SloAlertSeverity.Page => "PAGE", SloAlertSeverity.Ticket => "TICKET", _ => Ok });
    }
}

/// <summary>One burn-rate rule's figures: burn over its long and short windows and whether both reach the threshold.</summary>
public sealed record SloBurnRate(
    string Rule, string Severity, double Threshold, long LongWindowSeconds, long ShortWindowSeconds, double LongBurnRate, double ShortBurnRate, bool Firing);
