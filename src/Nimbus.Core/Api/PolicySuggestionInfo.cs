using Nimbus.Core.Security.Policy;

namespace Nimbus.Core.Api;

/// <summary>Answer of <c>GET /api/v1/functions/{name}/policy/suggestion</c>.</summary>
/// <param name="Declared">The function's current (<c>$LATEST</c>) policy.</param>
/// <param name="Observed">Everything the function was seen attempting, the suggestion's input.</param>
public sealed record PolicySuggestionInfo(
    string Function,
    IReadOnlyList<PolicyStatement> Declared,
    IReadOnlyList<PolicyStatement> Suggested,
    IReadOnlyList<PolicyStatement> UnusedGrants,
    IReadOnlyList<ObservedAccess> DeniedAttempts,
    IReadOnlyList<WildcardNarrowing> Narrowable,
    IReadOnlyList<ObservedAccess> Observed,
    bool MatchesDeclared)
{
    public static PolicySuggestionInfo From(string function, IReadOnlyList<PolicyStatement>? declared, IReadOnlyList<ObservedAccess> observed)
    {
        var suggestion = PolicySuggester.Suggest(declared, observed);
        return new(function, declared ?? [], suggestion.Suggested, suggestion.UnusedGrants, suggestion.DeniedAttempts, suggestion.Narrowable,
            observed, suggestion.MatchesDeclared);
    }
}
