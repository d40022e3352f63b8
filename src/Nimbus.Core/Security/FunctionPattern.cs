namespace Nimbus.Core.Security;

/// <summary>
/// A function name pattern that limits an identity (<c>orders*</c>, <c>orders-?</c>, <c>billing</c>): <c>*</c> matches
/// any run of characters, <c>?</c> one character, everything else itself (case-sensitive, as function names are).
/// </summary>
public static class FunctionPattern
{
    public const int MaxLength = 140;

    /// <returns>Why <paramref name="pattern"/> is not a usable pattern, or null when it is.</returns>
    public static string? Check(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "must not be empty";
        }

        if (pattern.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        return pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '*' or '?')
            ? null
            : $"'{pattern}' may contain only letters, digits, '-', '_', '*' and '?'";
    }

    public static bool Matches(string pattern, string name) => Matches(pattern.AsSpan(), name.AsSpan());

    // Greedy matching with one backtrack point for the last '*': linear in practice, no regular expression to build.
    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
