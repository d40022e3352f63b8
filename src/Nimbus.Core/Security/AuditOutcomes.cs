namespace Nimbus.Core.Security;

/// <summary>The outcomes an audit record can have.</summary>
public static class AuditOutcomes
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string Unauthenticated = "unauthenticated";
}
