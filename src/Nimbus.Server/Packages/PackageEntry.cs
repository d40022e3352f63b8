using System.IO.Compression;

namespace Nimbus.Server.Packages;

/// <summary>One archive entry that passed the name, type and link checks.</summary>
/// <param name="Path">Normalized relative path with '/' separators and no '.', '..' or empty segments.</param>
/// <param name="LinkTarget">The link's target as stored, for <see cref="PackageEntryKind.SymbolicLink"/> only.</param>
internal sealed record PackageEntry(ZipArchiveEntry Entry, string Path, PackageEntryKind Kind, UnixFileMode Mode, string? LinkTarget)
{
    public string Name => Entry.FullName;
}
