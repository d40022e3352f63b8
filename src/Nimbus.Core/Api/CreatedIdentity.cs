namespace Nimbus.Core.Api;

/// <summary>
/// The answer to creating a token or key: the only time its secret is shown. A token has <see cref="Token"/>; a key
/// has its id in <see cref="IdentityInfo.Id"/> and <see cref="SecretAccessKey"/>.
/// </summary>
public sealed record CreatedIdentity(IdentityInfo Identity, string? Token = null, string? SecretAccessKey = null);
