namespace Nimbus.Core.Slos;

/// <summary>One rule evaluated: the burn rates over its two windows and whether both reach its threshold.</summary>
public sealed record BurnRateVerdict(BurnRateAlert Alert, double LongBurnRate, double ShortBurnRate)
{
    public bool IsFiring => LongBurnRate >= Alert.Threshold && ShortBurnRate >= Alert.Threshold;
}
