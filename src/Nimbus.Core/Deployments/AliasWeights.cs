namespace Nimbus.Core.Deployments;

/// <summary>
/// What the alias should route: <see cref="Version"/> takes the calls <see cref="AdditionalVersion"/> does not; with
/// <see cref="Mode"/> Weighted that is a Lambda routing config (<see cref="AdditionalWeight"/> in [0, 1]); Shadow and
/// Sticky say how the additional version gets its share.
/// </summary>
public sealed record AliasWeights(int Version, int? AdditionalVersion, double AdditionalWeight, TrafficMode Mode)
{
    public static AliasWeights Only(int version) => new(version, null, 0, TrafficMode.Weighted);
}
