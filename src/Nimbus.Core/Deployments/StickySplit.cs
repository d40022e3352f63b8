namespace Nimbus.Core.Deployments;

/// <summary>
/// An A/B split in force on one alias: callers whose <see cref="Key"/> hashes into the first <see cref="Percent"/>
/// (salted by the deployment id, <see cref="StickyAssignment"/>) go to <see cref="CandidateVersion"/>, the others and
/// callers without the key to <see cref="BaselineVersion"/>.
/// </summary>
public sealed record StickySplit(string DeploymentId, int BaselineVersion, int CandidateVersion, double Percent, AbKey Key)
{
    /// <summary>The version that serves a caller with this key value (null: the caller did not send the key).</summary>
    public int VersionFor(string? keyValue) =>
        keyValue is not null && StickyAssignment.Assign(keyValue, Percent, DeploymentId) == AbVariant.Candidate ? CandidateVersion : BaselineVersion;
}
