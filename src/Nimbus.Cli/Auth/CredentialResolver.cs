using Nimbus.Server.Security;

namespace Nimbus.Cli.Auth;

/// <summary>
/// The token a verb sends, first found of: <c>NIMBUS_TOKEN</c>; the profile <c>nimbus login</c> saved for the URL;
/// for a server on this machine, the admin token in the data dir it registered for its port
/// (<see cref="LocalServers"/>); else <c>./.nimbus/admin-token</c> (the default data dir of a <c>nimbus up</c> started here).
/// None is fine: the server then answers 401 with what to do.
/// </summary>
internal static class CredentialResolver
{
    public const string TokenVariable = "NIMBUS_TOKEN";

    public static string? Resolve(Uri url, CliContext context)
    {
        if (context.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            return token.Trim();
        }

        if (new ProfileStore(context.GetEnvironmentVariable).Find(url) is { } profile)
        {
            return profile.Token;
        }

        if (!url.IsLoopback)
        {
            return null;
        }

        if (LocalServers.Find(url.Port, context.GetEnvironmentVariable) is { } dataDirectory && Read(AdminToken.PathIn(dataDirectory)) is { } registered)
        {
            return registered;
        }

        return Read(AdminToken.PathIn(context.FullPath(".nimbus")));
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
