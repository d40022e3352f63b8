using System.Collections.Frozen;

namespace Nimbus.Core.Security;

/// <summary>The roles an identity can hold and the permissions each grants.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Deployer = "deployer";
    public const string Operator = "operator";
    public const string Viewer = "viewer";
    public const string Invoker = "invoker";

    /// <summary>The role of a function principal (an instance signing with its own credentials).</summary>
    public const string Function = "function";

    /// <summary>The roles a token or access key may be created with.</summary>
    public static readonly IReadOnlyList<string> Assignable = [Admin, Deployer, Operator, Viewer, Invoker];

    private static readonly FrozenDictionary<string, FrozenSet<string>> s_grants = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        [Admin] = Permissions.All.ToFrozenSet(StringComparer.Ordinal),
        [Deployer] = new[] { Permissions.Read, Permissions.ReadLogs, Permissions.Invoke, Permissions.Deploy, Permissions.Rollback, Permissions.Pause, Permissions.Redrive }
            .ToFrozenSet(StringComparer.Ordinal),
        [Operator] = new[] { Permissions.Read, Permissions.ReadLogs, Permissions.Invoke, Permissions.Rollback, Permissions.Pause, Permissions.Redrive }
            .ToFrozenSet(StringComparer.Ordinal),
        [Viewer] = new[] { Permissions.Read }.ToFrozenSet(StringComparer.Ordinal),
        [Invoker] = new[] { Permissions.Invoke }.ToFrozenSet(StringComparer.Ordinal),

        // A function may call the invoke API and report its deployment hook; its policy narrows what it may invoke.
        [Function] = new[] { Permissions.Invoke, Permissions.Rollback }.ToFrozenSet(StringComparer.Ordinal),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsAssignable(string? role) => role is not null && Assignable.Contains(role, StringComparer.Ordinal);

    /// <summary>The permissions of <paramref name="role"/>; none for an unknown role.</summary>
    public static IReadOnlySet<string> PermissionsOf(string role) =>
        s_grants.TryGetValue(role, out var grants) ? grants : FrozenSet<string>.Empty;

    public static bool Grants(string role, string permission) => PermissionsOf(role).Contains(permission);
}
