namespace Nimbus.Core.Security.SigV4;

/// <summary>What SigV4 covers of an HTTP request, as it arrived.</summary>
/// <param name="Method">The HTTP method, e.g. <c>POST</c>.</param>
/// <param name="RawPath">The path exactly as sent, still percent-encoded (<c>/2015-03-31/functions/f%3A1/invocations</c>).</param>
/// <param name="RawQuery">The query string as sent, without the leading <c>?</c>; empty when there is none.</param>
/// <param name="Headers">Every header by name (any case); a header sent more than once has several values.</param>
/// <param name="PayloadHash">Lowercase hex SHA-256 of the body (or the client's <c>x-amz-content-sha256</c>).</param>
public sealed record SigV4Request(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    string PayloadHash)
{
    public IReadOnlyList<string>? Header(string name) =>
        Headers.TryGetValue(name, out var values) ? values
        : Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
