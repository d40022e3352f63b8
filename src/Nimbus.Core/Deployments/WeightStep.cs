namespace Nimbus.Core.Deployments;

/// <summary>
/// One step of a deployment's schedule: from <see cref="StartsAfter"/> (measured from the start of the shift) the new
/// version gets <see cref="NewVersionPercent"/> percent of calls, by <see cref="Mode"/>.
/// </summary>
public sealed record WeightStep(int Index, TimeSpan StartsAfter, double NewVersionPercent, TrafficMode Mode)
{
    /// <summary>The new version's share as an alias weight in [0, 1].</summary>
    public double NewVersionWeight => NewVersionPercent / 100;
}
