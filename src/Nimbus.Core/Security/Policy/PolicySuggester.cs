namespace Nimbus.Core.Security.Policy;

/// <summary>
/// Least privilege from observed access. Pure. The suggestion grants exactly what was attempted (allowed and denied:
/// a denied attempt is most often a grant the author forgot), one statement per action and resource, so it is the
/// smallest policy under which every observed attempt succeeds.
/// </summary>
public static class PolicySuggester
{
    public static PolicySuggestion Suggest(IReadOnlyList<PolicyStatement>? declared, IReadOnlyList<ObservedAccess> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        declared ??= [];
        var attempted = observed.Where(o => o.Allowed + o.Denied > 0).ToList();

        var suggested = attempted
            .Select(o => new PolicyStatement(o.Action, o.Resource))
            .Distinct()
            .OrderBy(s => s.Allow, StringComparer.Ordinal)
            .ThenBy(s => s.Resource, StringComparer.Ordinal)
            .ToList();

        // A grant is used when an allowed attempt matched it (the evaluator's first match is the one that counted).
        var usedBy = new Dictionary<PolicyStatement, SortedSet<string>>();
        foreach (var access in attempted.Where(o => o.Allowed > 0))
        {
            if (PolicyEvaluator.Evaluate(declared, access.Action, access.Resource).GrantedBy is { } grant)
            {
                if (!usedBy.TryGetValue(grant, out var resources))
                {
                    usedBy[grant] = resources = new SortedSet<string>(StringComparer.Ordinal);
                }

                resources.Add(access.Resource);
            }
        }

        var unused = declared.Distinct().Where(s => !usedBy.ContainsKey(s)).ToList();
        var denied = attempted
            .Where(o => o.Denied > 0 && !PolicyEvaluator.Evaluate(declared, o.Action, o.Resource).Allowed)
            .OrderBy(o => o.Action, StringComparer.Ordinal)
            .ThenBy(o => o.Resource, StringComparer.Ordinal)
            .ToList();
        var narrowable = declared.Distinct()
            .Where(s => ResourcePattern.HasWildcard(s.Resource) && usedBy.ContainsKey(s))
            .Select(s => new WildcardNarrowing(s, [.. usedBy[s]]))
            .ToList();
        return new PolicySuggestion(suggested, unused, denied, narrowable);
    }
}
