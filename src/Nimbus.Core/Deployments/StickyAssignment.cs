using System.Text;

namespace Nimbus.Core.Deployments;

/// <summary>
/// Puts an A/B key on a variant: a stable 64-bit hash of the key (FNV-1a, then a murmur3 finaliser so similar keys
/// spread) picks one of 10,000 buckets; the first <c>percent × 100</c> buckets are the candidate. The same key and
/// salt give the same variant in every process and after every restart (unlike <see cref="string.GetHashCode()"/>).
/// </summary>
public static class StickyAssignment
{
    public const int Buckets = 10_000;

    /// <param name="salt">The deployment id, so two experiments do not put the same users in the same group.</param>
    public static AbVariant Assign(string key, double percent, string salt = "")
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(salt);
        return Bucket(key, salt) < percent * (Buckets / 100.0) ? AbVariant.Candidate : AbVariant.Baseline;
    }

    public static int Bucket(string key, string salt = "")
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(salt);
        var hash = 14695981039346656037UL;
        hash = Mix(hash, salt);
        hash = (hash ^ 0xff) * 1099511628211UL; // separates salt from key: ("ab","c") differs from ("a","bc")
        hash = Mix(hash, key);
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (int)(hash % Buckets);
    }

    private static ulong Mix(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
