using System.Security.Cryptography;
using System.Text;

namespace Nimbus.Server.Security;

/// <summary>
/// Encrypts access key secrets at rest with AES-256-GCM under a key kept in <c>{dataDir}/access-keys.key</c> (mode
/// 0600, created on first use). The key id is the associated data, so a ciphertext moved to another row does not
/// decrypt. Stored blob: nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretKeyProtector
{
    public const string FileName = "access-keys.key";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    private SecretKeyProtector(byte[] key) => _key = key;

    public static SecretKeyProtector LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == 32
                ? new SecretKeyProtector(key)
                : throw new InvalidDataException($"'{path}' is not a 32-byte key; restore it from a backup or, if no access keys exist, delete it");
        }

        var created = RandomNumberGenerator.GetBytes(32);
        SecretFiles.WriteAllBytes(path, created);
        return new SecretKeyProtector(created);
    }

    public byte[] Protect(string keyId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(keyId));
        return blob;
    }

    /// <returns>The secret, or null when the blob was not encrypted with this key for this key id.</returns>
    public string? Unprotect(string keyId, byte[] blob)
    {
        if (blob.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[blob.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(keyId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
