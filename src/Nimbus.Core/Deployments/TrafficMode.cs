namespace Nimbus.Core.Deployments;

/// <summary>How a step's share reaches the new version.</summary>
public enum TrafficMode
{
    /// <summary>The alias sends that share of calls to the new version (a weighted alias, as Lambda's routing config).</summary>
    Weighted,

    /// <summary>Callers are answered by the old version; that share of calls is also copied to the new one.</summary>
    Shadow,

    /// <summary>Callers are split by a key; the same key always lands on the same version.</summary>
    Sticky,
}
