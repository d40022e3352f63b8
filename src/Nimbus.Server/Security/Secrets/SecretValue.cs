namespace Nimbus.Server.Security.Secrets;

/// <summary>A secret's current value, decrypted. Only the platform holds one: it never goes into an API answer.</summary>
public sealed record SecretValue(string Name, int Version, string VersionId, string Value, DateTimeOffset CreatedAt);
