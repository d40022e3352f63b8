namespace Nimbus.Core.Security;

/// <summary>The kinds of long-lived identity.</summary>
public static class IdentityKinds
{
    /// <summary>A bearer token (<c>Authorization: Bearer nt_….…</c>).</summary>
    public const string Token = "token";

    /// <summary>An access key pair for AWS SigV4 clients.</summary>
    public const string Key = "key";
}
