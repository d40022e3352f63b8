namespace Nimbus.Core.Security.Policy;

/// <summary>
/// Decides whether a function's policy allows an action on a resource. Pure. Default deny: no policy, an empty one,
/// or one without a matching grant denies; there are no deny statements, so the first matching grant decides.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(IReadOnlyList<PolicyStatement>? policy, string action, string resource)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        foreach (var statement in policy ?? [])
        {
            if (string.Equals(statement.Allow, action, StringComparison.Ordinal) && ResourcePattern.Matches(statement.Resource, resource))
            {
                return new PolicyDecision(true, action, resource, statement);
            }
        }

        return new PolicyDecision(false, action, resource, null);
    }
}
