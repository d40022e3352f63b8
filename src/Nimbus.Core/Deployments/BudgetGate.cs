using System.Globalization;

namespace Nimbus.Core.Deployments;

/// <summary>
/// The error-budget gate: a deployment does not start while the budget is spent or burning above the set rate,
/// unless it is forced (it is the fix). An unknown budget does not close the gate: no SLO, no gate.
/// </summary>
public static class BudgetGate
{
    public static GateVerdict Evaluate(BudgetGateSettings? settings, BudgetObservation budget, bool forced)
    {
        ArgumentNullException.ThrowIfNull(budget);
        string? closed = null;
        if (budget.RemainingFraction is <= 0)
        {
            closed = "the error budget is exhausted";
        }
        else if (settings?.MaxBurnRate is { } max && budget.BurnRate is { } burn && burn > max)
        {
            closed = $"the error budget is burning at {Number(burn)}x, above maxBurnRate {Number(max)}";
        }

        if (closed is null)
        {
            return new(true, "error budget gate open");
        }

        return forced ? new(true, $"{closed}; started anyway (forced)") : new(false, $"{closed}; use --force if this is the fix");
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
