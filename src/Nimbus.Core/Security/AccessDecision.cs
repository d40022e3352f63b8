namespace Nimbus.Core.Security;

/// <summary>Whether a principal may do one thing; when not, <see cref="Reason"/> says why in words a 403 can carry.</summary>
public readonly record struct AccessDecision(bool IsAllowed, string Permission, string Reason)
{
    public static AccessDecision Allow(string permission) => new(true, permission, "");

    public static AccessDecision Deny(string permission, string reason) => new(false, permission, reason);
}
