namespace Nimbus.Core.Gateway;

/// <summary>
/// Parses a raw query string the way API Gateway fills <c>queryStringParameters</c>: names and values
/// percent-decoded, a repeated name's values joined with ','. '+' is kept as is: only the function can know whether
/// the sender meant form encoding, and it still has <c>rawQueryString</c>.
/// </summary>
internal static class QueryStringParameters
{
    public static List<KeyValuePair<string, string>> Parse(string rawQueryString)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var query = rawQueryString.AsSpan();
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            var index = parameters.FindIndex(p => p.Key == name);
            if (index < 0)
            {
                parameters.Add(new(name, value));
            }
            else
            {
                parameters[index] = new(name, $"{parameters[index].Value},{value}");
            }
        }

        return parameters;
    }

    private static string Decode(ReadOnlySpan<char> text) =>
        text.Contains('%') ? Uri.UnescapeDataString(text) : text.ToString();
}
