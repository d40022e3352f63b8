namespace Nimbus.Core.Gateway;

/// <summary>The HTTP answer the gateway writes back for a function's response.</summary>
/// <param name="Headers">Headers to send, in order; a name may repeat.</param>
/// <param name="Cookies">Each becomes one <c>Set-Cookie</c> header.</param>
public sealed record HttpResponseData(
    int StatusCode,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<string> Cookies,
    byte[] Body)
{
    /// <summary>
    /// Why the function's output could not be used, for the gateway's log; null when it could. The client only sees
    /// API Gateway's <c>{"message":"Internal Server Error"}</c> with status 502.
    /// </summary>
    public string? Error { get; init; }
}
