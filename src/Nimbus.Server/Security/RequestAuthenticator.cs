using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Nimbus.Core.Security.SigV4;

namespace Nimbus.Server.Security;

/// <summary>
/// Turns a request's <c>Authorization</c> header into a principal: <c>Bearer TOKEN</c> for Nimbus tokens, or an
/// <c>AWS4-HMAC-SHA256</c> signature by an access key (a stored key, a key given at start, or an instance's session
/// key, which must also send its <c>X-Amz-Security-Token</c>).
/// </summary>
public sealed class RequestAuthenticator(IdentityRegistry identities, TimeProvider time)
{
    public static bool IsSigned(HttpRequest request) =>
        request.Headers.Authorization.ToString().TrimStart().StartsWith(SigV4Authorization.Algorithm, StringComparison.Ordinal);

    /// <param name="body">The request body, needed only for a signed request (its hash is part of the signature).</param>
    public AuthenticationResult Authenticate(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            return AuthenticationResult.Missing;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return identities.FindToken(token) is { } principal
                ? AuthenticationResult.Success(principal)
                : AuthenticationResult.Invalid("The bearer token is unknown, wrong or revoked.");
        }

        if (header.StartsWith(SigV4Authorization.Algorithm, StringComparison.Ordinal))
        {
            return AuthenticateSigned(request, header, body);
        }

        return AuthenticationResult.Invalid("The Authorization header must be 'Bearer TOKEN' or an AWS4-HMAC-SHA256 signature.", SigV4Status.Malformed);
    }

    private AuthenticationResult AuthenticateSigned(HttpRequest request, string header, ReadOnlySpan<byte> body)
    {
        var keyId = SigV4Authorization.TryParse(header, out _)?.AccessKeyId;
        var key = keyId is null ? null : identities.FindKey(keyId);
        var known = key is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string>(StringComparer.Ordinal) { [keyId!] = key.Secret };
        var verdict = SigV4Verifier.Verify(SigV4HttpRequest.From(request, body), known, time.GetUtcNow(), expectedService: null);
        if (!verdict.IsValid)
        {
            return AuthenticationResult.Invalid(verdict.Message, verdict.Status);
        }

        if (key!.SessionToken is { } expected)
        {
            var sent = request.Headers["X-Amz-Security-Token"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected)))
            {
                return AuthenticationResult.Invalid("The security token included in the request is invalid.", SigV4Status.UnknownAccessKey);
            }
        }

        return AuthenticationResult.Success(key.Principal);
    }
}
