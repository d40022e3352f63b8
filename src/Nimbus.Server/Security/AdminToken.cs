using Nimbus.Core.Security;

namespace Nimbus.Server.Security;

/// <summary>
/// The first admin token: on start, when <c>{dataDir}/admin-token</c> is missing or holds a token that no longer
/// authenticates as admin, a new admin token is created and written there (mode 0600), so that the CLI on the same
/// machine works without configuration. Whoever can write the data dir owns the platform anyway (the database is
/// there), so the file grants nothing a reader of the data dir did not already have.
/// </summary>
public static class AdminToken
{
    public const string FileName = "admin-token";
    public const string CreatedBy = "bootstrap";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <returns>The admin token now in the file.</returns>
    public static async Task<string> EnsureAsync(string dataDirectory, IdentityRegistry identities, CancellationToken cancellationToken)
    {
        var path = PathIn(dataDirectory);
        if (File.Exists(path))
        {
            var existing = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
            if (identities.FindToken(existing) is { Role: Roles.Admin })
            {
                return existing;
            }
        }

        var created = await identities.CreateTokenAsync(Roles.Admin, null, "local admin (admin-token file)", CreatedBy, cancellationToken).ConfigureAwait(false);
        SecretFiles.WriteAllText(path, created.Token! + "\n");
        return created.Token!;
    }
}
