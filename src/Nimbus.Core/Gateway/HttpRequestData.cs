namespace Nimbus.Core.Gateway;

/// <summary>An HTTP request as the gateway received it, free of ASP.NET types so the event can be built in pure code.</summary>
/// <param name="Method">The request method, e.g. <c>GET</c>.</param>
/// <param name="Path">The raw (still percent-encoded) path, e.g. <c>/orders/a%20b</c>, without the query string.</param>
/// <param name="RawQueryString">The query string without the leading '?', or empty.</param>
/// <param name="Headers">Headers in arrival order; a name may repeat.</param>
/// <param name="SourceIp">The client's address.</param>
/// <param name="Time">When the gateway received the request.</param>
/// <param name="Protocol">e.g. <c>HTTP/1.1</c>.</param>
/// <param name="Host">The host the client addressed, as in the Host header (may include a port).</param>
public sealed record HttpRequestData(
    string Method,
    string Path,
    string RawQueryString,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    string SourceIp,
    DateTimeOffset Time,
    string Protocol,
    string Host);
