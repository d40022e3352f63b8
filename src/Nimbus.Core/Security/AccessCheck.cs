namespace Nimbus.Core.Security;

/// <summary>Decides whether a principal's role and function scope allow one permission on one function (or none).</summary>
public static class AccessCheck
{
    /// <param name="functionName">The function the request is about; null for a route that names none (a list, an id).</param>
    public static AccessDecision Decide(Principal principal, string permission, string? functionName)
    {
        if (!Roles.Grants(principal.Role, permission))
        {
            return AccessDecision.Deny(permission, $"role '{principal.Role}' lacks the permission '{permission}'");
        }

        if (principal.FunctionScope is { } scope)
        {
            if (functionName is null)
            {
                return AccessDecision.Deny(permission,
                    $"'{principal.Id}' is limited to functions '{scope}', and this route is not about one function");
            }

            if (!FunctionPattern.Matches(scope, functionName))
            {
                return AccessDecision.Deny(permission, $"'{principal.Id}' is limited to functions '{scope}', which does not include '{functionName}'");
            }
        }

        return AccessDecision.Allow(permission);
    }
}
