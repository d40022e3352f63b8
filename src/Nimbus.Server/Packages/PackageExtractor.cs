namespace Nimbus.Server.Packages;

/// <summary>Writes a stored package into a fresh directory, re-running every upload check on the way.</summary>
internal static class PackageExtractor
{
    private const UnixFileMode RootMode = (UnixFileMode)0b111_101_101; // 0755

    public static async Task ExtractAsync(string packagePath, string destination, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        var root = Path.GetFullPath(destination);
        var rootPrefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;

        await using var file = new FileStream(packagePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using var archive = await ArchiveInspector.OpenAsync(file, cancellationToken);
        var inspector = new ArchiveInspector(limits, file.Length);
        var entries = await inspector.PlanAsync(archive, cancellationToken);

        // Links last: while files are written no link exists yet, so no write can be redirected through one.
        foreach (var entry in entries)
        {
            var target = Resolve(rootPrefix, entry);
            switch (entry.Kind)
            {
                case PackageEntryKind.Directory:
                    Directory.CreateDirectory(target);
                    // Directory entries carry no data, but anything they do carry still counts towards the limits.
                    await inspector.CopyEntryAsync(entry, Stream.Null, cancellationToken);
                    break;
                case PackageEntryKind.File:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await WriteFileAsync(inspector, entry, target, cancellationToken);
                    break;
            }
        }

        foreach (var entry in entries)
        {
            if (entry.Kind == PackageEntryKind.SymbolicLink)
            {
                var target = Resolve(rootPrefix, entry);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.CreateSymbolicLink(target, entry.LinkTarget!);
            }
        }

        // Directory modes last (deepest first), so a read-only directory does not block writing its contents.
        foreach (var entry in entries.Where(e => e.Kind == PackageEntryKind.Directory).OrderByDescending(e => e.Path.Length))
        {
            SetMode(Resolve(rootPrefix, entry), entry.Mode);
        }

        SetMode(root, RootMode);
    }

    private static async Task WriteFileAsync(ArchiveInspector inspector, PackageEntry entry, string target, CancellationToken cancellationToken)
    {
        // CreateNew fails rather than follow or overwrite anything already at the path.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        await using (var output = new FileStream(target, options))
        {
            await inspector.CopyEntryAsync(entry, output, cancellationToken);
        }

        SetMode(target, entry.Mode);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        // Windows has no mode bits; extraction there keeps whatever the file system gives.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static string Resolve(string rootPrefix, PackageEntry entry)
    {
        var full = Path.GetFullPath(Path.Join(rootPrefix, entry.Path));
        if (!full.StartsWith(rootPrefix, StringComparison.Ordinal))
        {
            throw new ArchiveRejectedException(
                ArchiveRejectionReason.PathTraversal, $"entry '{entry.Name}' escapes the package root", entry.Name);
        }

        return full;
    }
}
