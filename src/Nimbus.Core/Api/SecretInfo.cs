namespace Nimbus.Core.Api;

/// <summary>A secret as the management API shows it: never its value.</summary>
public sealed record SecretInfo(string Name, int Version, string VersionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
