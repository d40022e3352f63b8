namespace Nimbus.Server.Security;

/// <summary>
/// Where a running <c>nimbus up</c> tells CLIs of the same user which data dir serves which local port:
/// <c>$XDG_STATE_HOME/nimbus/servers/{port}</c> (default <c>~/.local/state</c>), holding the data dir's path. The CLI
/// talking to <c>127.0.0.1:{port}</c> reads the admin token from there, from any working directory.
/// </summary>
public static class LocalServers
{
    public static string Directory(Func<string, string?> environment)
    {
        var state = environment("XDG_STATE_HOME");
        if (string.IsNullOrWhiteSpace(state))
        {
            state = Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return Path.Combine(state, "nimbus", "servers");
    }

    public static void Register(int port, string dataDirectory)
    {
        try
        {
            var directory = Directory(Environment.GetEnvironmentVariable);
            System.IO.Directory.CreateDirectory(directory);
            SecretFiles.WriteAllText(Path.Combine(directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a convenience: the CLI still finds ./.nimbus/admin-token, NIMBUS_TOKEN and its profiles.
        }
    }

    public static void Unregister(int port, string dataDirectory)
    {
        try
        {
            var path = Path.Combine(Directory(Environment.GetEnvironmentVariable), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (File.Exists(path) && File.ReadAllText(path).Trim() == dataDirectory)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <returns>The data dir registered for <paramref name="port"/>, or null.</returns>
    public static string? Find(int port, Func<string, string?> environment)
    {
        try
        {
            var path = Path.Combine(Directory(environment), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
