using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Nimbus.Core.Idempotency;

/// <summary>
/// A parsed idempotency key: <c>header:NAME</c>, or a JSON path of members and indexes from the event's root
/// (<c>$.orderId</c>, <c>$.order.id</c>, <c>$.items[0].sku</c>, <c>$["odd name"]</c>).
/// </summary>
public sealed record IdempotencyKeySource
{
    private IdempotencyKeySource(string? header, IReadOnlyList<object> path)
    {
        Header = header;
        Path = path;
    }

    /// <summary>The header name for <c>header:NAME</c>; null for a JSON path.</summary>
    public string? Header { get; }

    /// <summary>The JSON path's steps: member names (string) and array indexes (int). Empty is the whole event.</summary>
    public IReadOnlyList<object> Path { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out IdempotencyKeySource? source, out string problem)
    {
        source = null;
        problem = "";
        text = text.Trim();
        if (text.StartsWith("header:", StringComparison.OrdinalIgnoreCase))
        {
            var name = text["header:".Length..].Trim();
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                problem = $"'{text}' names no valid header: after 'header:' give a header name such as Idempotency-Key";
                return false;
            }

            source = new IdempotencyKeySource(name, []);
            return true;
        }

        if (!text.StartsWith('$'))
        {
            problem = $"'{text}' is not a key; use a JSON path into the event such as $.orderId, or header:NAME";
            return false;
        }

        var steps = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                if (i == start)
                {
                    problem = $"'{text}' has an empty member name at position {start}";
                    return false;
                }

                steps.Add(text[start..i]);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    problem = $"'{text}' has a '[' without ']'";
                    return false;
                }

                var inner = text[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner[^1] == inner[0])
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    problem = $"'{text}' has '[{inner}]': give an array index such as [0] or a quoted member name such as [\"id\"]";
                    return false;
                }

                i = close + 1;
            }
            else
            {
                problem = $"'{text}' is not a JSON path: after '$' write .member or [index], e.g. $.orderId";
                return false;
            }
        }

        if (steps.Count == 0)
        {
            problem = $"'{text}' selects the whole event; name a member, e.g. $.orderId";
            return false;
        }

        source = new IdempotencyKeySource(null, steps);
        return true;
    }

    // RFC 9110 token characters: what a header name may contain.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
