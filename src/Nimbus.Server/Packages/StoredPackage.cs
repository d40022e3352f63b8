namespace Nimbus.Server.Packages;

/// <summary>A package in the store.</summary>
/// <param name="Sha256">Lowercase hex SHA-256 of the archive bytes; the package's identity.</param>
/// <param name="Size">Archive size in bytes.</param>
/// <param name="Created">False when an identical archive was already stored.</param>
public sealed record StoredPackage(string Sha256, long Size, bool Created);
