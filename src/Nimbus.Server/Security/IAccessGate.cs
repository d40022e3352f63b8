using Nimbus.Core.Security.Policy;

namespace Nimbus.Server.Security;

/// <summary>
/// The one place a function's attempt to act through the platform (invoke a function, read a secret, send to a queue)
/// is decided. Every decision, allowed or denied, is counted and recorded as observed access; a denial is also a
/// platform log line of the calling function.
/// </summary>
public interface IAccessGate
{
    /// <summary>Decides by the current (<c>$LATEST</c>) policy of <paramref name="functionName"/>; an unknown function is denied.</summary>
    ValueTask<PolicyDecision> CheckAsync(string functionName, string action, string resource, CancellationToken cancellationToken);

    /// <summary>Decides by <paramref name="policy"/>: the policy of the version the calling instance runs.</summary>
    ValueTask<PolicyDecision> CheckAsync(string functionName, string version, IReadOnlyList<PolicyStatement>? policy, string action, string resource, CancellationToken cancellationToken);
}
