using System.Text;
using System.Text.Json;

namespace Nimbus.Core.Gateway;

/// <summary>
/// Turns a function's answer to an HTTP route into the HTTP response, by the rules of API Gateway's payload format
/// 2.0: a JSON object with <c>statusCode</c> describes the response (<c>headers</c>, <c>multiValueHeaders</c>,
/// <c>cookies</c>, <c>body</c>, <c>isBase64Encoded</c>); any other valid JSON is itself the body of a 200
/// <c>application/json</c> response. Output that is not JSON, or a malformed response object, gives 502.
/// </summary>
public static class ApiGatewayV2Response
{
    private static readonly byte[] s_internalServerError = "{\"message\":\"Internal Server Error\"}"u8.ToArray();

    private static readonly KeyValuePair<string, string>[] s_jsonContentType = [new("content-type", "application/json")];

    public static HttpResponseData ParseResponse(ReadOnlySpan<byte> functionResponse)
    {
        if (functionResponse.StartsWith("\uFEFF"u8))
        {
            functionResponse = functionResponse[3..];
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(functionResponse);
            document = JsonDocument.ParseValue(ref reader);

            // ParseValue stops after the first value; anything but whitespace after it is not JSON.
            if (reader.Read())
            {
                return BadGateway("the function's response is not valid JSON: more than one value");
            }
        }
        catch (JsonException e)
        {
            return BadGateway(functionResponse.IsEmpty
                ? "the function returned an empty response; return JSON, e.g. {\"statusCode\":204}"
                : $"the function's response is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("statusCode", out _))
            {
                return new HttpResponseData(200, s_jsonContentType, [], functionResponse.ToArray());
            }

            return FromResponseObject(root);
        }
    }

    /// <summary>The 502 answer for a function output the gateway cannot use; <paramref name="reason"/> is for the log.</summary>
    public static HttpResponseData BadGateway(string reason) =>
        new(502, s_jsonContentType, [], s_internalServerError) { Error = reason };

    private static HttpResponseData FromResponseObject(JsonElement root)
    {
        var status = root.GetProperty("statusCode");
        if (status.ValueKind != JsonValueKind.Number || !status.TryGetInt32(out var statusCode) || statusCode is < 100 or > 599)
        {
            return BadGateway($"statusCode must be a whole number from 100 to 599, was {Describe(status)}");
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (Property(root, "headers") is { } headersElement)
        {
            if (headersElement.ValueKind != JsonValueKind.Object)
            {
                return BadGateway($"headers must be an object of names to values, was {Describe(headersElement)}");
            }

            foreach (var header in headersElement.EnumerateObject())
            {
                if (HeaderValue(header.Value) is not { } value)
                {
                    return BadGateway($"headers.{header.Name} must be a string, number or boolean, was {Describe(header.Value)}");
                }

                headers.Add(new(header.Name, value));
            }
        }

        if (Property(root, "multiValueHeaders") is { } multiElement)
        {
            if (multiElement.ValueKind != JsonValueKind.Object)
            {
                return BadGateway($"multiValueHeaders must be an object of names to lists of values, was {Describe(multiElement)}");
            }

            foreach (var header in multiElement.EnumerateObject())
            {
                if (header.Value.ValueKind != JsonValueKind.Array)
                {
                    return BadGateway($"multiValueHeaders.{header.Name} must be a list of values, was {Describe(header.Value)}");
                }

                foreach (var item in header.Value.EnumerateArray())
                {
                    if (HeaderValue(item) is not { } value)
                    {
                        return BadGateway($"multiValueHeaders.{header.Name} must hold strings, numbers or booleans, had {Describe(item)}");
                    }

                    headers.Add(new(header.Name, value));
                }
            }
        }

        var cookies = new List<string>();
        if (Property(root, "cookies") is { } cookiesElement)
        {
            if (cookiesElement.ValueKind != JsonValueKind.Array)
            {
                return BadGateway($"cookies must be a list of strings, was {Describe(cookiesElement)}");
            }

            foreach (var cookie in cookiesElement.EnumerateArray())
            {
                if (cookie.ValueKind != JsonValueKind.String)
                {
                    return BadGateway($"cookies must be a list of strings, had {Describe(cookie)}");
                }

                cookies.Add(cookie.GetString()!);
            }
        }

        var isBase64Encoded = false;
        if (Property(root, "isBase64Encoded") is { } base64Element)
        {
            if (base64Element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return BadGateway($"isBase64Encoded must be true or false, was {Describe(base64Element)}");
            }

            isBase64Encoded = base64Element.GetBoolean();
        }

        byte[] body = [];
        if (Property(root, "body") is { } bodyElement)
        {
            if (bodyElement.ValueKind != JsonValueKind.String)
            {
                return BadGateway($"body must be a string (serialize objects to JSON text first), was {Describe(bodyElement)}");
            }

            if (isBase64Encoded)
            {
                if (!bodyElement.TryGetBytesFromBase64(out var decoded))
                {
                    return BadGateway("body is not valid base64 although isBase64Encoded is true");
                }

                body = decoded;
            }
            else
            {
                body = Encoding.UTF8.GetBytes(bodyElement.GetString()!);
            }
        }

        return new HttpResponseData(statusCode, headers, cookies, body);
    }

    /// <summary>A member's value, or null when it is absent or JSON null (both mean "not given").</summary>
    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>Handlers written in JavaScript often give numbers or booleans (<c>"content-length": 12</c>): send their text.</summary>
    private static string? HeaderValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
