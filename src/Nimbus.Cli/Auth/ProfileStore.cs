using System.Text.Json;
using Nimbus.Server.Security;

namespace Nimbus.Cli.Auth;

/// <summary>
/// Profiles written by <c>nimbus login</c>: <c>$XDG_CONFIG_HOME/nimbus/profiles.json</c> (default
/// <c>~/.config/nimbus</c>), mode 0600 in a 0700 directory, one token per server address.
/// </summary>
internal sealed class ProfileStore(Func<string, string?> environment)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory
    {
        get
        {
            var config = environment("XDG_CONFIG_HOME");
            if (string.IsNullOrWhiteSpace(config))
            {
                config = Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            }

            return Path.Combine(config, "nimbus");
        }
    }

    public string FilePath => Path.Combine(Directory, "profiles.json");

    public IReadOnlyList<Profile> Load()
    {
        try
        {
            return File.Exists(FilePath)
                ? JsonSerializer.Deserialize<List<Profile>>(File.ReadAllText(FilePath), s_json) ?? []
                : [];
        }
        catch (JsonException e)
        {
            throw new CliException($"cannot read the profiles in {FilePath}: {e.Message} (fix or delete the file, then `nimbus login` again)", ExitCodes.Failed);
        }
    }

    public Profile? Find(Uri url) => Load().FirstOrDefault(p => Same(p.Url, url));

    public void Save(Profile profile)
    {
        var profiles = Load().Where(p => !Same(p.Url, new Uri(profile.Url))).Append(profile).ToList();
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory);
            }

            SecretFiles.WriteAllText(FilePath, JsonSerializer.Serialize(profiles, s_json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {FilePath}: {e.Message}", ExitCodes.Failed);
        }
    }

    public static string Normalize(Uri url) => url.GetLeftPart(UriPartial.Path).TrimEnd('/').ToLowerInvariant();

    private static bool Same(string stored, Uri url) =>
        Uri.TryCreate(stored, UriKind.Absolute, out var parsed) && Normalize(parsed) == Normalize(url);
}
