using System.Buffers;
using System.Text;

namespace Nimbus.Core.Security.Secrets;

/// <summary>
/// Replaces the secret values one function can see with <c>***</c> in text it produced (log lines, error messages).
/// Immutable and precomputed: a line with no secret in it costs one vectorised search, and a function without secrets
/// uses <see cref="None"/>, which costs nothing.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Shorter values are not redacted: masking every "ab" in a log would hide everything and protect nothing.</summary>
    public const int MinLength = 4;

    private readonly string[] _values;
    private readonly SearchValues<string>? _search;

    private SecretRedactor(string[] values)
    {
        // Longest first, so that a value containing another is masked whole.
        _values = values;
        _search = values.Length == 0 ? null : SearchValues.Create(values, StringComparison.Ordinal);
    }

    public static SecretRedactor None { get; } = new([]);

    public bool IsEmpty => _values.Length == 0;

    public static SecretRedactor For(IEnumerable<string> values) => new(Normalize(values));

    /// <summary>This redactor plus <paramref name="value"/> (itself when it already masks it or the value is too short).</summary>
    public SecretRedactor With(string value) =>
        value.Length < MinLength || _values.Contains(value, StringComparer.Ordinal) ? this : new(Normalize(_values.Append(value)));

    /// <summary>The values masked, longest first (multi-line values also by line).</summary>
    public IReadOnlyList<string> Values => _values;

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_search is null)
        {
            return text;
        }

        var first = text.AsSpan().IndexOfAny(_search);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, first);
        var i = first;
        while (i < text.Length)
        {
            var next = text.AsSpan(i).IndexOfAny(_search);
            if (next < 0)
            {
                builder.Append(text, i, text.Length - i);
                break;
            }

            builder.Append(text, i, next);
            i += next;
            var length = MatchLength(text.AsSpan(i));
            builder.Append(Mask);
            i += length;
        }

        return builder.ToString();
    }

    private int MatchLength(ReadOnlySpan<char> at)
    {
        foreach (var value in _values)
        {
            if (at.StartsWith(value, StringComparison.Ordinal))
            {
                return value.Length;
            }
        }

        return 1; // unreachable: the search found one of the values here
    }

    // Output is captured line by line, so a multi-line value (a PEM key) is also masked line by line.
    private static string[] Normalize(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Contains('\n', StringComparison.Ordinal) ? [v, .. v.Split('\n').Select(l => l.TrimEnd('\r'))] : new[] { v })
            .Where(v => v is { Length: >= MinLength }).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];
}
