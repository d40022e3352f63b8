namespace Nimbus.Core.Slos;

/// <summary>How fast a window spends the error budget: error ratio / (1 − objective). 1 spends exactly the budget over
/// the SLO window; 14.4 spends 2 % of a 30-day budget in an hour.</summary>
public static class BurnRate
{
    public static double Of(SloCounts counts, double objectivePercent)
    {
        if (counts.Total == 0)
        {
            return 0;
        }

        var allowedRatio = (100m - (decimal)objectivePercent) / 100m;
        return (double)((decimal)counts.Bad / counts.Total / allowedRatio);
    }
}
