using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Gateway;

/// <summary>
/// Builds the event an HTTP route hands to its function: Amazon API Gateway's HTTP API payload format 2.0, so that
/// Lambda HTTP handlers run unchanged. Optional members are left out when absent, as API Gateway does.
/// </summary>
public static class ApiGatewayV2Event
{
    public const string AccountId = "000000000000";
    public const string ApiId = "nimbus";
    public const string Stage = "$default";

    // The event goes to a function, not into HTML: escaping '+', '<' or non-ASCII letters would only make it harder to read.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the event as UTF-8 JSON.</summary>
    /// <param name="request">The request as received.</param>
    /// <param name="match">The route it matched (route key, path parameters).</param>
    /// <param name="requestId">The invocation's request id, also <c>requestContext.requestId</c>.</param>
    public static byte[] BuildEvent(HttpRequestData request, RouteMatch match, string requestId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(requestId);

        var headers = GroupHeaders(request.Headers, out var cookies, out var contentType, out var userAgent);
        var rawQuery = request.RawQueryString.StartsWith('?') ? request.RawQueryString[1..] : request.RawQueryString;
        var method = request.Method.ToUpperInvariant();

        var buffer = new ArrayBufferWriter<byte>(1024 + (request.Body.Length * 4 / 3));
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "2.0");
            writer.WriteString("routeKey", match.RouteKey);
            writer.WriteString("rawPath", request.Path);
            writer.WriteString("rawQueryString", rawQuery);
            if (cookies.Count > 0)
            {
                writer.WriteStartArray("cookies");
                foreach (var cookie in cookies)
                {
                    writer.WriteStringValue(cookie);
                }

                writer.WriteEndArray();
            }

            writer.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();

            if (rawQuery.Length > 0)
            {
                var parameters = QueryStringParameters.Parse(rawQuery);
                if (parameters.Count > 0)
                {
                    writer.WriteStartObject("queryStringParameters");
                    foreach (var (name, value) in parameters)
                    {
                        writer.WriteString(name, value);
                    }

                    writer.WriteEndObject();
                }
            }

            WriteRequestContext(writer, request, match, requestId, method, userAgent);

            var isBase64Encoded = false;
            if (!request.Body.IsEmpty)
            {
                var body = request.Body.Span;
                if (TextContentTypes.IsText(contentType) && Utf8.IsValid(body))
                {
                    writer.WriteString("body", body);
                }
                else
                {
                    writer.WriteBase64String("body", body);
                    isBase64Encoded = true;
                }
            }

            if (match.PathParameters.Count > 0)
            {
                writer.WriteStartObject("pathParameters");
                foreach (var (name, value) in match.PathParameters)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteBoolean("isBase64Encoded", isBase64Encoded);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>API Gateway's <c>requestContext.time</c>: <c>12/Mar/2020:19:03:58 +0000</c>, always UTC.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    private static void WriteRequestContext(Utf8JsonWriter writer, HttpRequestData request, RouteMatch match, string requestId, string method, string userAgent)
    {
        writer.WriteStartObject("requestContext");
        writer.WriteString("accountId", AccountId);
        writer.WriteString("apiId", ApiId);

        // Unlike API Gateway (always port 443) Nimbus often listens on another port; keeping it lets a function
        // build its own URLs from domainName.
        writer.WriteString("domainName", request.Host);
        writer.WriteString("domainPrefix", DomainPrefix(request.Host));
        writer.WriteStartObject("http");
        writer.WriteString("method", method);
        writer.WriteString("path", request.Path);
        writer.WriteString("protocol", request.Protocol);
        writer.WriteString("sourceIp", request.SourceIp);
        writer.WriteString("userAgent", userAgent);
        writer.WriteEndObject();
        writer.WriteString("requestId", requestId);
        writer.WriteString("routeKey", match.RouteKey);
        writer.WriteString("stage", Stage);
        writer.WriteString("time", FormatTime(request.Time));
        writer.WriteNumber("timeEpoch", request.Time.ToUnixTimeMilliseconds());
        writer.WriteEndObject();
    }

    /// <summary>The first label of the host name: <c>orders</c> for <c>orders.example.com:7700</c>.</summary>
    private static string DomainPrefix(string host)
    {
        var span = host.AsSpan();
        if (span.StartsWith('['))
        {
            // An IPv6 literal has no labels; API Gateway never sees one, so give the address itself.
            var close = span.IndexOf(']');
            return close > 0 ? span[1..close].ToString() : host;
        }

        var end = span.IndexOfAny('.', ':');
        return end < 0 ? host : span[..end].ToString();
    }

    /// <summary>
    /// Lower-cases names and joins a repeated header's values with ',' (format 2.0 has no multi-value headers).
    /// Cookie headers do not appear among the headers: their cookies go to the <c>cookies</c> array instead.
    /// </summary>
    private static List<KeyValuePair<string, string>> GroupHeaders(
        IReadOnlyList<KeyValuePair<string, string>> input, out List<string> cookies, out string? contentType, out string userAgent)
    {
        var headers = new List<KeyValuePair<string, string>>(input.Count);
        cookies = [];
        foreach (var (rawName, value) in input)
        {
            // HTTP/2 pseudo-headers (":authority") are not headers of the request as API Gateway reports it.
            if (rawName.Length == 0 || rawName[0] == ':')
            {
                continue;
            }

            var name = rawName.ToLowerInvariant();
            if (name == "cookie")
            {
                foreach (var cookie in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    cookies.Add(cookie);
                }

                continue;
            }

            var index = IndexOf(headers, name);
            if (index < 0)
            {
                headers.Add(new(name, value));
            }
            else
            {
                headers[index] = new(name, $"{headers[index].Value},{value}");
            }
        }

        var contentTypeIndex = IndexOf(headers, "content-type");
        contentType = contentTypeIndex < 0 ? null : headers[contentTypeIndex].Value;
        var userAgentIndex = IndexOf(headers, "user-agent");
        userAgent = userAgentIndex < 0 ? "" : headers[userAgentIndex].Value;
        return headers;
    }

    private static int IndexOf(List<KeyValuePair<string, string>> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Key == name)
            {
                return i;
            }
        }

        return -1;
    }
}
