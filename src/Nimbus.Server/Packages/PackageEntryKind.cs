namespace Nimbus.Server.Packages;

internal enum PackageEntryKind
{
    File,
    Directory,
    SymbolicLink,
}
