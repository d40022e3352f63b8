using System.Security.Cryptography;

namespace Nimbus.Server.Security.Secrets;

/// <summary>
/// AES-256-GCM sealing: a sealed blob is <c>nonce (12) || ciphertext || tag (16)</c>, with a fresh random nonce per
/// seal. The associated data binds a blob to its purpose and owner (a value to its secret, a data key to its secret),
/// so a blob copied into another row does not open.
/// </summary>
internal static class SecretCipher
{
    public const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var blob = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = blob.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(NonceBytes, plaintext.Length), blob.AsSpan(NonceBytes + plaintext.Length), associatedData);
        return blob;
    }

    /// <exception cref="CryptographicException">The key is not the one that sealed the blob, or the blob was altered.</exception>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> blob, ReadOnlySpan<byte> associatedData)
    {
        if (blob.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("the sealed value is shorter than a nonce and a tag");
        }

        var plaintext = new byte[blob.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(blob[..NonceBytes], blob.Slice(NonceBytes, plaintext.Length), blob[^TagBytes..], plaintext, associatedData);
        return plaintext;
    }
}
