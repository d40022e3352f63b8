using Nimbus.Core.Slos;

namespace Nimbus.Core.Deployments;

/// <summary>
/// The budget the gate reads from a function's objectives: the tightest remaining budget (each objective's over its
/// own window) and the fastest current burn (over <see cref="BurnWindow"/>). Unknown with no objective. Pure.
/// </summary>
public static class BudgetObservations
{
    /// <summary>The window the current burn rate is measured over (the SRE workbook's fast-burn long window).</summary>
    public static readonly TimeSpan BurnWindow = TimeSpan.FromHours(1);

    public static BudgetObservation From(IReadOnlyList<(SloDefinition Slo, SloCounts Window, SloCounts Recent)> objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
        {
            return BudgetObservation.Unknown;
        }

        var remaining = objectives.Min(o => ErrorBudget.From(o.Slo.ObjectivePercent, o.Window).RemainingFraction);
        var burn = objectives.Max(o => BurnRate.Of(o.Recent, o.Slo.ObjectivePercent));
        return new BudgetObservation(remaining, burn);
    }
}
