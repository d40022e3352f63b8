namespace Nimbus.Core.Security.Policy;

/// <summary>
/// Resource patterns of a policy: ordinal, case-sensitive text where <c>*</c> matches any run of characters (none
/// included). No other character is special, so a resource name can never be mistaken for a pattern by accident.
/// </summary>
public static class ResourcePattern
{
    public const char Wildcard = '*';

    public static bool HasWildcard(string pattern) => pattern.Contains(Wildcard, StringComparison.Ordinal);

    /// <summary>True when <paramref name="resource"/> is one of the names <paramref name="pattern"/> stands for.</summary>
    public static bool Matches(string pattern, string resource)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(resource);

        // Greedy matching with one back-track point (the last star): linear for the patterns people write.
        int p = 0, r = 0, star = -1, resumeAt = 0;
        while (r < resource.Length)
        {
            if (p < pattern.Length && pattern[p] == Wildcard)
            {
                star = p++;
                resumeAt = r;
            }
            else if (p < pattern.Length && pattern[p] == resource[r])
            {
                p++;
                r++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                r = ++resumeAt;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == Wildcard)
        {
            p++;
        }

        return p == pattern.Length;
    }
}
