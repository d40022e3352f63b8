using System.Security.Cryptography;
using System.Text;

namespace Nimbus.Core.Security;

/// <summary>
/// The shapes of Nimbus credentials. A token is <c>{id}.{secret}</c> (<c>nt_k3v9q2m7x4ab.…</c>) with 256 random bits
/// of secret: the id finds the record, the SHA-256 of the whole token is what is stored and compared. A secret that
/// random needs no slow password hash: nobody can guess it, so a leaked hash cannot be reversed by trying.
/// </summary>
public static class Credentials
{
    public const string TokenPrefix = "nt_";

    /// <summary>Long-lived access key ids look like AWS's (<c>AKIA…</c>); Nimbus's start with <c>NKIA</c>.</summary>
    public const string AccessKeyPrefix = "NKIA";

    /// <summary>Short-lived keys of function instances (AWS's <c>ASIA…</c> are session keys).</summary>
    public const string SessionKeyPrefix = "NSIA";

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static string NewTokenId() => TokenPrefix + RandomText(12, Base32);

    public static string NewToken(string id) => $"{id}.{Base64Url(RandomNumberGenerator.GetBytes(32))}";

    public static string NewAccessKeyId(string prefix) => prefix + RandomText(16, Base32.ToUpperInvariant());

    /// <summary>40 characters, like an AWS secret access key.</summary>
    public static string NewSecretAccessKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));

    public static string NewSessionToken() => Base64Url(RandomNumberGenerator.GetBytes(48));

    /// <summary>The id part of a token, or null when <paramref name="token"/> is not shaped like one.</summary>
    public static string? TokenIdOf(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot > TokenPrefix.Length && token.StartsWith(TokenPrefix, StringComparison.Ordinal) && dot < token.Length - 1 ? token[..dot] : null;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Compares the hash of <paramref name="token"/> with a stored hash in constant time.</summary>
    public static bool HashMatches(string token, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(storedHash));

    private static string RandomText(int length, string alphabet)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
