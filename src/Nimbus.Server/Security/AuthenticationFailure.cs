namespace Nimbus.Server.Security;

public enum AuthenticationFailure
{
    None,

    /// <summary>No <c>Authorization</c> header.</summary>
    Missing,

    /// <summary>Credentials were given and are wrong: unknown, revoked, expired or a signature that does not verify.</summary>
    Invalid,
}
