namespace Nimbus.Core.Deployments;

/// <summary>Which side of an A/B split a key falls on.</summary>
public enum AbVariant
{
    /// <summary>The old version (A).</summary>
    Baseline,

    /// <summary>The new version (B).</summary>
    Candidate,
}
