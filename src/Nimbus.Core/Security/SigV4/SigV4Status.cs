namespace Nimbus.Core.Security.SigV4;

public enum SigV4Status
{
    Valid,

    /// <summary>No <c>Authorization</c> header.</summary>
    Missing,

    /// <summary>The header or the date is malformed or incomplete (AWS's IncompleteSignature).</summary>
    Malformed,

    /// <summary>The access key id is not one the server knows.</summary>
    UnknownAccessKey,

    /// <summary>The credential scope names another date or service than the request.</summary>
    WrongScope,

    /// <summary>The request's date is more than the allowed skew away from the server's clock.</summary>
    Expired,

    /// <summary><c>x-amz-content-sha256</c> does not match the body that arrived.</summary>
    PayloadHashMismatch,

    /// <summary>The signature is not the one the secret produces (wrong secret, or the request was altered).</summary>
    SignatureMismatch,
}
