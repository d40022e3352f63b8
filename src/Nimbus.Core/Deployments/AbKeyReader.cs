using System.Text.Json;

namespace Nimbus.Core.Deployments;

/// <summary>Reads an A/B key's value from a call: a header, a cookie (from the <c>Cookie</c> header) or a JSON path
/// (<c>$.user.id</c>: object members only) into the payload. Null when the call does not carry it. Pure.</summary>
public static class AbKeyReader
{
    /// <param name="header">Reads a request header by name (case-insensitive); null for calls that have none.</param>
    public static string? Read(AbKey key, Func<string, string?>? header, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Source switch
        {
            AbKeySource.Header => Blank(header?.Invoke(key.Name)),
            AbKeySource.Cookie => Cookie(header?.Invoke("Cookie"), key.Name),
            _ => JsonPath(payload, key.Name),
        };
    }

    public static string? Cookie(string? cookieHeader, string name)
    {
        if (cookieHeader is null)
        {
            return null;
        }

        foreach (var part in cookieHeader.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && string.Equals(part[..equals], name, StringComparison.Ordinal))
            {
                return Blank(part[(equals + 1)..].Trim('"'));
            }
        }

        return null;
    }

    public static string? JsonPath(ReadOnlyMemory<byte> payload, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (payload.IsEmpty || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var node = document.RootElement;
            foreach (var member in path[2..].Split('.'))
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(member, out node))
                {
                    return null;
                }
            }

            return node.ValueKind switch
            {
                JsonValueKind.String => Blank(node.GetString()),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
