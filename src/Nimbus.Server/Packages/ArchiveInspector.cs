using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace Nimbus.Server.Packages;

/// <summary>
/// Checks one archive against <see cref="ArchiveLimits"/>. Upload validation and extraction both go through this class,
/// so the checks that let a package in are exactly the ones applied when it is written to disk.
/// </summary>
internal sealed class ArchiveInspector
{
    // PATH_MAX; a longer target cannot be created as a link anyway.
    private const int MaxLinkTargetBytes = 4096;
    // The kernel's own limit on links followed while resolving one path.
    private const int MaxLinkHops = 40;
    private const int BufferSize = 64 * 1024;

    private const int UnixTypeMask = 0xF000;
    private const int UnixFifo = 0x1000;
    private const int UnixCharacterDevice = 0x2000;
    private const int UnixDirectory = 0x4000;
    private const int UnixBlockDevice = 0x6000;
    private const int UnixRegularFile = 0x8000;
    private const int UnixSymbolicLink = 0xA000;
    private const int UnixSocket = 0xC000;

    private const UnixFileMode DefaultFileMode = (UnixFileMode)0b110_100_100; // 0644
    private const UnixFileMode DefaultExecutableMode = (UnixFileMode)0b111_101_101; // 0755

    private readonly ArchiveLimits _limits;
    private readonly long _archiveLength;
    private long _expandedBytes;

    public ArchiveInspector(ArchiveLimits limits, long archiveLength)
    {
        _limits = limits;
        _archiveLength = archiveLength;
    }

    public static async Task<ZipArchive> OpenAsync(Stream archive, CancellationToken cancellationToken)
    {
        try
        {
            return await ZipArchive.CreateAsync(archive, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException) // NotSupported: split or spanned archives
        {
            throw new ArchiveRejectedException(ArchiveRejectionReason.NotAZip, $"the upload is not a readable zip archive: {ex.Message}", null, ex);
        }
    }

    /// <summary>
    /// Checks names, types, duplicates, conflicts and link targets of every entry (reading link targets, which counts
    /// towards the expanded size) and returns the entries in archive order.
    /// </summary>
    public async Task<IReadOnlyList<PackageEntry>> PlanAsync(ZipArchive archive, CancellationToken cancellationToken)
    {
        IReadOnlyList<ZipArchiveEntry> zipEntries;
        try
        {
            zipEntries = archive.Entries;
        }
        catch (InvalidDataException ex)
        {
            throw new ArchiveRejectedException(ArchiveRejectionReason.NotAZip, $"the zip central directory is corrupt: {ex.Message}", null, ex);
        }

        if (zipEntries.Count > _limits.MaxEntries)
        {
            throw new ArchiveRejectedException(
                ArchiveRejectionReason.TooManyEntries,
                $"archive has {zipEntries.Count} entries; the limit is {_limits.MaxEntries}");
        }

        var entries = new List<PackageEntry>(zipEntries.Count);
        var byPath = new Dictionary<string, PackageEntry>(StringComparer.Ordinal);
        foreach (var zipEntry in zipEntries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = PackageEntryPath.Normalize(zipEntry.FullName);
            var kind = KindOf(zipEntry);
            if (path.Length == 0)
            {
                if (kind == PackageEntryKind.Directory)
                {
                    continue; // "./" names the root, which always exists.
                }

                throw new ArchiveRejectedException(
                    ArchiveRejectionReason.InvalidEntryName, $"entry '{zipEntry.FullName}' does not name a file", zipEntry.FullName);
            }

            var linkTarget = kind == PackageEntryKind.SymbolicLink ? await ReadLinkTargetAsync(zipEntry, cancellationToken) : null;
            var entry = new PackageEntry(zipEntry, path, kind, ModeOf(zipEntry, path, kind), linkTarget);
            if (!byPath.TryAdd(path, entry))
            {
                throw new ArchiveRejectedException(
                    ArchiveRejectionReason.DuplicateEntry,
                    $"entry '{zipEntry.FullName}' duplicates entry '{byPath[path].Name}'",
                    zipEntry.FullName);
            }

            entries.Add(entry);
        }

        foreach (var entry in entries)
        {
            CheckAncestors(entry, byPath);
        }

        foreach (var entry in entries)
        {
            if (entry.Kind == PackageEntryKind.SymbolicLink)
            {
                CheckLinkStaysInside(entry, byPath);
            }
        }

        return entries;
    }

    /// <summary>
    /// Decompresses the entry into <paramref name="destination"/>, counting the bytes that actually come out and stopping
    /// as soon as a limit is crossed, then checks them against the header's size and CRC-32.
    /// </summary>
    public async Task CopyEntryAsync(PackageEntry entry, Stream destination, CancellationToken cancellationToken)
    {
        var zipEntry = entry.Entry;
        // The compressed length comes from the header too; capping it at the archive size keeps a lie from making a
        // bomb's ratio look harmless.
        var compressedLength = Math.Clamp(zipEntry.CompressedLength, 1, Math.Max(1, _archiveLength));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var source = await OpenEntryAsync(zipEntry, cancellationToken);
            long written = 0;
            uint crc = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                }
                catch (InvalidDataException ex)
                {
                    throw Corrupt(zipEntry, $"entry '{zipEntry.FullName}' has corrupt compressed data: {ex.Message}", ex);
                }

                if (read == 0)
                {
                    break;
                }

                written += read;
                _expandedBytes += read;
                if (_expandedBytes > _limits.MaxExpandedBytes)
                {
                    throw new ArchiveRejectedException(
                        ArchiveRejectionReason.ExpandedSizeTooLarge,
                        $"archive expands to more than the limit of {_limits.MaxExpandedBytes} bytes (crossed while expanding entry '{zipEntry.FullName}')",
                        zipEntry.FullName);
                }

                if (written > ArchiveLimits.CompressionRatioThresholdBytes && written > compressedLength * _limits.MaxCompressionRatio)
                {
                    throw new ArchiveRejectedException(
                        ArchiveRejectionReason.CompressionRatioTooHigh,
                        $"entry '{zipEntry.FullName}' expands more than {_limits.MaxCompressionRatio}:1 ({written} bytes from {compressedLength} compressed bytes, and counting)",
                        zipEntry.FullName);
                }

                if (written > zipEntry.Length)
                {
                    throw Corrupt(zipEntry, $"entry '{zipEntry.FullName}' expands to more than the {zipEntry.Length} bytes its header declares");
                }

                crc = Crc32.Append(crc, buffer.AsSpan(0, read));
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            if (written != zipEntry.Length)
            {
                throw Corrupt(zipEntry, $"entry '{zipEntry.FullName}' expands to {written} bytes but its header declares {zipEntry.Length}");
            }

            if (crc != zipEntry.Crc32)
            {
                throw Corrupt(zipEntry, $"entry '{zipEntry.FullName}' fails its CRC-32 check: its data or its header (size, checksum) is wrong");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Stream> OpenEntryAsync(ZipArchiveEntry zipEntry, CancellationToken cancellationToken)
    {
        try
        {
            return await zipEntry.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            throw Corrupt(zipEntry, $"entry '{zipEntry.FullName}' cannot be read: {ex.Message}", ex);
        }
    }

    private async Task<string> ReadLinkTargetAsync(ZipArchiveEntry zipEntry, CancellationToken cancellationToken)
    {
        if (zipEntry.Length > MaxLinkTargetBytes)
        {
            throw InvalidLink(zipEntry, $"entry '{zipEntry.FullName}' is a symbolic link whose target is longer than {MaxLinkTargetBytes} bytes");
        }

        using var target = new MemoryStream();
        var linkEntry = new PackageEntry(zipEntry, zipEntry.FullName, PackageEntryKind.SymbolicLink, 0, null);
        await CopyEntryAsync(linkEntry, target, cancellationToken);
        var bytes = target.GetBuffer().AsSpan(0, (int)target.Length);
        if (bytes.Length == 0)
        {
            throw InvalidLink(zipEntry, $"entry '{zipEntry.FullName}' is a symbolic link with an empty target");
        }

        if (bytes.Contains((byte)0))
        {
            throw InvalidLink(zipEntry, $"entry '{zipEntry.FullName}' is a symbolic link whose target has a NUL character");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw InvalidLink(zipEntry, $"entry '{zipEntry.FullName}' is a symbolic link whose target is not valid UTF-8", ex);
        }

        if (text[0] == '/' || (text.Length >= 2 && char.IsAsciiLetter(text[0]) && text[1] == ':'))
        {
            throw new ArchiveRejectedException(
                ArchiveRejectionReason.LinkEscapes,
                $"entry '{zipEntry.FullName}' is a symbolic link to the absolute path '{text}'",
                zipEntry.FullName);
        }

        if (text.Contains('\\'))
        {
            // On Linux a backslash is an ordinary character in a link target, on Windows a separator; refusing it
            // keeps the two readings from disagreeing about where the link points.
            throw InvalidLink(zipEntry, $"entry '{zipEntry.FullName}' is a symbolic link whose target '{text}' contains a backslash");
        }

        return text;
    }

    private static PackageEntryKind KindOf(ZipArchiveEntry zipEntry)
    {
        var type = (zipEntry.ExternalAttributes >> 16) & UnixTypeMask;
        var unsupported = type switch
        {
            UnixFifo => "a FIFO",
            UnixCharacterDevice => "a character device",
            UnixBlockDevice => "a block device",
            UnixSocket => "a socket",
            0 or UnixDirectory or UnixRegularFile or UnixSymbolicLink => null,
            _ => $"of unknown unix file type 0x{type:X4}",
        };
        if (unsupported is not null)
        {
            throw new ArchiveRejectedException(
                ArchiveRejectionReason.UnsupportedEntryType,
                $"entry '{zipEntry.FullName}' is {unsupported}; only files, directories and symbolic links are allowed",
                zipEntry.FullName);
        }

        if (type == UnixSymbolicLink)
        {
            return PackageEntryKind.SymbolicLink;
        }

        return type == UnixDirectory || PackageEntryPath.EndsWithSeparator(zipEntry.FullName)
            ? PackageEntryKind.Directory
            : PackageEntryKind.File;
    }

    private static UnixFileMode ModeOf(ZipArchiveEntry zipEntry, string path, PackageEntryKind kind)
    {
        // Only the rwx bits: setuid, setgid and sticky bits from an upload have no business on the server's disk.
        var permissions = (UnixFileMode)((zipEntry.ExternalAttributes >> 16) & 0x1FF);
        return kind switch
        {
            PackageEntryKind.Directory when permissions == 0 => DefaultExecutableMode,
            // The owner must be able to list and clean up every directory the platform creates.
            PackageEntryKind.Directory => permissions | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            // Archives made on Windows carry no mode; a custom runtime's entry point must still run.
            PackageEntryKind.File when permissions == 0 && path == "bootstrap" => DefaultExecutableMode,
            PackageEntryKind.File when permissions == 0 => DefaultFileMode,
            PackageEntryKind.File => permissions | UnixFileMode.UserRead,
            _ => permissions,
        };
    }

    private static void CheckAncestors(PackageEntry entry, Dictionary<string, PackageEntry> byPath)
    {
        var path = entry.Path;
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            if (!byPath.TryGetValue(path[..slash], out var ancestor))
            {
                continue;
            }

            if (ancestor.Kind == PackageEntryKind.File)
            {
                throw new ArchiveRejectedException(
                    ArchiveRejectionReason.PathConflict,
                    $"entry '{entry.Name}' needs '{ancestor.Name}' to be a directory, but the archive has it as a file",
                    entry.Name);
            }

            if (ancestor.Kind == PackageEntryKind.SymbolicLink)
            {
                // Writing through a link would put the file wherever the link points.
                throw new ArchiveRejectedException(
                    ArchiveRejectionReason.PathConflict,
                    $"entry '{entry.Name}' lies beneath the symbolic link '{ancestor.Name}'",
                    entry.Name);
            }
        }
    }

    /// <summary>
    /// Resolves the link the way the kernel would once the tree is on disk, following links to links, and rejects it
    /// if any step leaves the root. Purely lexical resolution is not enough: with <c>sub/up -> ..</c> in the archive,
    /// <c>x -> sub/up/..</c> looks like it stays in <c>sub</c> but reaches the root's parent.
    /// </summary>
    private static void CheckLinkStaysInside(PackageEntry link, Dictionary<string, PackageEntry> byPath)
    {
        var resolved = new List<string>(link.Path.Split('/'));
        resolved.RemoveAt(resolved.Count - 1); // a relative target starts from the link's directory
        var pending = new Stack<string>();
        PushSegments(pending, link.LinkTarget!);
        var hops = 0;
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count == 0)
                {
                    throw new ArchiveRejectedException(
                        ArchiveRejectionReason.LinkEscapes,
                        $"entry '{link.Name}' is a symbolic link to '{link.LinkTarget}', which resolves outside the package root",
                        link.Name);
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            resolved.Add(segment);
            if (byPath.TryGetValue(string.Join('/', resolved), out var next) && next.Kind == PackageEntryKind.SymbolicLink)
            {
                if (++hops > MaxLinkHops)
                {
                    throw InvalidLink(link.Entry, $"entry '{link.Name}' is a symbolic link in a loop of links");
                }

                resolved.RemoveAt(resolved.Count - 1);
                PushSegments(pending, next.LinkTarget!);
            }
        }
    }

    private static void PushSegments(Stack<string> pending, string target)
    {
        var segments = target.Split('/');
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            pending.Push(segments[i]);
        }
    }

    private static ArchiveRejectedException Corrupt(ZipArchiveEntry zipEntry, string message, Exception? inner = null) =>
        new(ArchiveRejectionReason.CorruptEntry, message, zipEntry.FullName, inner);

    private static ArchiveRejectedException InvalidLink(ZipArchiveEntry zipEntry, string message, Exception? inner = null) =>
        new(ArchiveRejectionReason.InvalidLinkTarget, message, zipEntry.FullName, inner);
}
