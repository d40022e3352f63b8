using System.Security.Cryptography;
using Nimbus.Server.Hosting;

namespace Nimbus.Server.Security.Secrets;

/// <summary>
/// The key that wraps every secret's data key: from <c>NIMBUS_MASTER_KEY</c> (base64 of 32 bytes) when set, else from
/// the key file (default <c>&lt;datadir&gt;/master.key</c>, created with mode 0600 on first start).
/// </summary>
internal sealed class MasterKey
{
    public const string EnvironmentVariable = "NIMBUS_MASTER_KEY";
    public const string DefaultFileName = "master.key";

    private MasterKey(byte[] key, string? filePath)
    {
        Key = key;
        FilePath = filePath;
    }

    public byte[] Key { get; private set; }

    /// <summary>The key file; null when the key came from the environment (and so cannot be rotated by Nimbus).</summary>
    public string? FilePath { get; }

    public string Source => FilePath is null ? EnvironmentVariable : $"key file '{FilePath}'";

    /// <exception cref="NimbusStartupException">The configured key is not 32 bytes of base64, or the key file cannot be read or made.</exception>
    public static MasterKey Load(string? fromEnvironment, string filePath)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new MasterKey(Decode(fromEnvironment, EnvironmentVariable), null);
        }

        try
        {
            if (File.Exists(filePath))
            {
                return new MasterKey(Decode(File.ReadAllText(filePath), $"the key file '{filePath}'"), filePath);
            }

            var key = SecretCipher.NewKey();
            WriteKeyFile(filePath, key);
            return new MasterKey(key, filePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NimbusStartupException($"cannot read or create the master key file '{filePath}': {ex.Message}", ex);
        }
    }

    /// <summary>Writes <paramref name="key"/> to <c>FILE.new</c> (0600), to be moved over the key file by <see cref="Commit"/>.</summary>
    public string Stage(byte[] key)
    {
        var staged = FilePath + ".new";
        File.Delete(staged);
        WriteKeyFile(staged, key);
        return staged;
    }

    /// <summary>The staged key becomes the key file (an atomic rename) and the key in use.</summary>
    public void Commit(string staged, byte[] key)
    {
        File.Move(staged, FilePath!, overwrite: true);
        Key = key;
    }

    private static void WriteKeyFile(string path, byte[] key)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToBase64String(key));
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    private static byte[] Decode(string text, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException ex)
        {
            throw new NimbusStartupException($"the master key in {where} is not base64: give 32 random bytes in base64 (e.g. `openssl rand -base64 32`)", ex);
        }

        if (key.Length != SecretCipher.KeyBytes)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new NimbusStartupException($"the master key in {where} is {key.Length} bytes; AES-256 needs exactly {SecretCipher.KeyBytes}");
        }

        return key;
    }
}
