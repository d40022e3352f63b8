using Nimbus.Core.Functions;

namespace Nimbus.Core.Security.Policy;

/// <summary>
/// What a policy may hold: known actions and resource patterns of names (letters, digits and <c>-_./:+=@</c>) with
/// <c>*</c> wildcards. Pure; the API and the manifest reader both call it (through <see cref="FunctionConfigValidator"/>).
/// </summary>
public static class PolicyRules
{
    public const int MaxStatements = 100;
    public const int MaxResourceLength = 512;

    /// <summary>Errors name <c>policy[i].allow</c> or <c>policy[i].resource</c>. Nulls from JSON are reported, never dereferenced.</summary>
    public static IReadOnlyList<ValidationError> Check(IReadOnlyList<PolicyStatement>? policy, string field = "policy")
    {
        var errors = new List<ValidationError>();
        if (policy is null)
        {
            return errors;
        }

        if (policy.Count > MaxStatements)
        {
            errors.Add(new(field, $"has {policy.Count} statements; at most {MaxStatements} are allowed"));
        }

        for (var i = 0; i < policy.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (policy[i] is not { } statement)
            {
                errors.Add(new(at, "must be a statement {allow: ACTION, resource: PATTERN}, not null"));
                continue;
            }

            if (CheckAction(statement.Allow) is { } actionError)
            {
                errors.Add(new($"{at}.allow", actionError));
            }

            if (CheckResource(statement.Resource) is { } resourceError)
            {
                errors.Add(new($"{at}.resource", resourceError));
            }
        }

        return errors;
    }

    public static string? CheckAction(string? action)
    {
        if (string.IsNullOrEmpty(action))
        {
            return $"is required: one of {string.Join(", ", PolicyActions.All)}";
        }

        if (PolicyActions.IsKnown(action))
        {
            return null;
        }

        var closest = Closest(action);
        return closest is not null
            ? $"'{action}' is not an action; did you mean '{closest}'?"
            : $"'{action}' is not an action; use one of {string.Join(", ", PolicyActions.All)}";
    }

    public static string? CheckResource(string? resource)
    {
        if (string.IsNullOrEmpty(resource))
        {
            return "is required: a name, or a pattern with '*' (e.g. \"orders*\")";
        }

        if (resource.Length > MaxResourceLength)
        {
            return $"is {resource.Length} characters long; at most {MaxResourceLength} are allowed";
        }

        foreach (var c in resource)
        {
            if (!IsResourceChar(c))
            {
                return $"'{resource}' contains '{c}'; use letters, digits, '-', '_', '.', '/', ':', '+', '=', '@' and '*' as a wildcard";
            }
        }

        return null;
    }

    private static bool IsResourceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '+' or '=' or '@' or '*';

    private static string? Closest(string action)
    {
        // Near misses: a typo ("secret:raed") or the right verb without its prefix ("invoke").
        foreach (var known in PolicyActions.All)
        {
            if (known.EndsWith(":" + action, StringComparison.OrdinalIgnoreCase) || known.Equals(action, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return Manifest.KeySuggestion.Closest(action, PolicyActions.All);
    }
}
