using System.Globalization;
using System.Text;

namespace Nimbus.Functions.Runtime;

/// <summary>How the body of an HTTP/1.1 response is delimited.</summary>
internal enum BodyFraming
{
    /// <summary>No body (204, 304, or <c>Content-Length: 0</c>).</summary>
    None,

    /// <summary><c>Content-Length</c> bytes.</summary>
    Length,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,

    /// <summary>Everything until the server closes the connection.</summary>
    UntilClose,
}

/// <summary>
/// The status line and headers of one HTTP/1.1 response from the runtime API. Pure parsing, no I/O: the connection
/// hands it the bytes up to and including the blank line.
/// </summary>
internal sealed class ResponseHead
{
    private readonly Dictionary<string, string> _headers;

    private ResponseHead(int statusCode, Dictionary<string, string> headers, BodyFraming framing, long contentLength, bool keepAlive)
    {
        StatusCode = statusCode;
        _headers = headers;
        Framing = framing;
        ContentLength = contentLength;
        KeepAlive = keepAlive;
    }

    public int StatusCode { get; }

    public BodyFraming Framing { get; }

    /// <summary>The body's length when <see cref="Framing"/> is <see cref="BodyFraming.Length"/>, else 0.</summary>
    public long ContentLength { get; }

    /// <summary>False when the server said <c>Connection: close</c> (or the body runs until close).</summary>
    public bool KeepAlive { get; }

    /// <summary>A header's value (repeated headers joined with ", "); null when absent. Names are case-insensitive.</summary>
    public string? Header(string name) => _headers.GetValueOrDefault(name);

    /// <summary>Parses <paramref name="head"/>: the status line and header lines, each ending in CRLF, then a CRLF.</summary>
    /// <exception cref="IOException">The bytes are not an HTTP/1.x response head.</exception>
    public static ResponseHead Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            throw Malformed("no status line");
        }

        var statusCode = ParseStatusLine(head[..lineEnd]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = head[(lineEnd + 2)..];
        while (true)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                throw Malformed("a header line without CRLF");
            }

            if (lineEnd == 0)
            {
                break;
            }

            AddHeader(headers, rest[..lineEnd]);
            rest = rest[(lineEnd + 2)..];
        }

        var keepAlive = !ContainsToken(headers.GetValueOrDefault("Connection"), "close");
        if (statusCode is 204 or 304 || statusCode < 200)
        {
            return new ResponseHead(statusCode, headers, BodyFraming.None, 0, keepAlive);
        }

        if (ContainsToken(headers.GetValueOrDefault("Transfer-Encoding"), "chunked"))
        {
            return new ResponseHead(statusCode, headers, BodyFraming.Chunked, 0, keepAlive);
        }

        if (headers.GetValueOrDefault("Content-Length") is { } lengthText)
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw Malformed($"Content-Length '{lengthText}'");
            }

            return new ResponseHead(statusCode, headers, length == 0 ? BodyFraming.None : BodyFraming.Length, length, keepAlive);
        }

        return new ResponseHead(statusCode, headers, BodyFraming.UntilClose, 0, keepAlive: false);
    }

    private static int ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.1 200 OK
        if (!line.StartsWith("HTTP/1."u8) || line.Length < 12 || line[8] != (byte)' ')
        {
            throw Malformed("a status line that is not HTTP/1.x");
        }

        var code = line.Slice(9, 3);
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var statusCode) || statusCode < 100)
        {
            throw Malformed("a status code that is not three digits");
        }

        return statusCode;
    }

    private static void AddHeader(Dictionary<string, string> headers, ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw Malformed("a header line without a name");
        }

        var name = Encoding.ASCII.GetString(line[..colon].TrimEnd((byte)' '));
        // Header values are Latin-1 on the wire; the runtime API only sends ASCII.
        var value = Encoding.Latin1.GetString(line[(colon + 1)..].Trim("\t "u8));
        headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
    }

    private static bool ContainsToken(string? value, string token)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static IOException Malformed(string what) => new($"the runtime API sent a malformed HTTP response: {what}");
}
