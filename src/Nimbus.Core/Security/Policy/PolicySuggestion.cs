namespace Nimbus.Core.Security.Policy;

/// <summary>
/// The smallest policy that covers what a function was seen doing, and how the declared policy differs from it.
/// </summary>
/// <param name="Suggested">One exact grant per action and resource that was attempted (allowed or denied), sorted.</param>
/// <param name="UnusedGrants">Declared grants that no allowed attempt used.</param>
/// <param name="DeniedAttempts">Attempts that were denied and that the declared policy still denies.</param>
/// <param name="Narrowable">Declared wildcard grants that were used, with the resources they were used for.</param>
public sealed record PolicySuggestion(
    IReadOnlyList<PolicyStatement> Suggested,
    IReadOnlyList<PolicyStatement> UnusedGrants,
    IReadOnlyList<ObservedAccess> DeniedAttempts,
    IReadOnlyList<WildcardNarrowing> Narrowable)
{
    /// <summary>True when the declared policy is already the suggested one: nothing unused, nothing denied, no wildcard to narrow.</summary>
    public bool MatchesDeclared => UnusedGrants.Count == 0 && DeniedAttempts.Count == 0 && Narrowable.Count == 0;
}
