namespace Nimbus.Core.Deployments;

/// <summary>
/// The function's error budget now: the share left in [0, 1] and the current burn rate (1 = spending exactly the
/// budget over the SLO window). Null when the function has no SLO or the figure is not known yet.
/// </summary>
public sealed record BudgetObservation(double? RemainingFraction, double? BurnRate)
{
    public static BudgetObservation Unknown { get; } = new(null, null);
}
