namespace Nimbus.Core.Security;

/// <summary>What kind of caller a request was authenticated as.</summary>
public enum PrincipalKind
{
    /// <summary>A person or a script holding a Nimbus token or an access key pair.</summary>
    User,

    /// <summary>A function instance signing with the short-lived credentials Nimbus gave it.</summary>
    Function,
}

/// <summary>The authenticated caller of one request.</summary>
/// <param name="Kind">User or function.</param>
/// <param name="Id">The token id or access key id that authenticated the call.</param>
/// <param name="Role">admin, deployer, operator, viewer or invoker; a function principal has role <c>function</c>.</param>
/// <param name="FunctionScope">For users: the function name pattern the identity is limited to (null: all).</param>
/// <param name="FunctionName">For functions: the calling function's name.</param>
public sealed record Principal(PrincipalKind Kind, string Id, string Role, string? FunctionScope = null, string? FunctionName = null);
