using Nimbus.Core.Security;
using Nimbus.Core.Security.SigV4;

namespace Nimbus.Server.Security;

/// <summary>Who a request authenticated as, or why it did not; <see cref="SigV4Status"/> is set for signed requests.</summary>
public sealed record AuthenticationResult(Principal? Principal, AuthenticationFailure Failure, string Message, SigV4Status? SigV4Status = null)
{
    public static AuthenticationResult Success(Principal principal) => new(principal, AuthenticationFailure.None, "");

    public static readonly AuthenticationResult Missing = new(null, AuthenticationFailure.Missing,
        "This request needs credentials: 'Authorization: Bearer TOKEN' (nimbus tokens create) or an AWS SigV4 signature (nimbus keys create).",
        Core.Security.SigV4.SigV4Status.Missing);

    public static AuthenticationResult Invalid(string message, SigV4Status? status = null) => new(null, AuthenticationFailure.Invalid, message, status);
}
