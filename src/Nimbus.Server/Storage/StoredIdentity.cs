using Nimbus.Core.Api;

namespace Nimbus.Server.Storage;

/// <summary>An identity row: what the API shows plus what authentication needs (the token's hash or the key's ciphertext).</summary>
public sealed record StoredIdentity(IdentityInfo Info, string? TokenSha256, byte[]? SecretEncrypted);
