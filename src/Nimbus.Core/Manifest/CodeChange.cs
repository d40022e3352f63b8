namespace Nimbus.Core.Manifest;

/// <summary>The package digest a deploy would replace; <see cref="OldSha256"/> is null when the function has no code yet.</summary>
public sealed record CodeChange(string? OldSha256, string NewSha256);
