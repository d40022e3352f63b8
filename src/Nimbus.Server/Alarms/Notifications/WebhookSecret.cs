using System.Security.Cryptography;

namespace Nimbus.Server.Alarms.Notifications;

/// <summary>
/// The key webhook notifications are signed with (<c>X-Nimbus-Signature</c>): 32 random bytes, hex, in
/// <c>{dataDir}/webhook-secret</c>, created on first start (owner-only on Unix) and kept across restarts so receivers
/// can verify. Give receivers the file's content.
/// </summary>
public sealed class WebhookSecret(byte[] key)
{
    public const string FileName = "webhook-secret";

    public byte[] Key { get; } = key;

    public static WebhookSecret LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return new WebhookSecret(Convert.FromHexString(File.ReadAllText(path).Trim()));
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(Convert.ToHexStringLower(key));
        }

        return new WebhookSecret(key);
    }
}
