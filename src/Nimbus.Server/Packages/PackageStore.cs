using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Nimbus.Server.Packages;

/// <summary>
/// Function packages stored by SHA-256 under <c>{root}/packages/</c>, extracted on demand to <c>{root}/code/{sha256}/</c>.
/// Every archive is fully decompressed and checked before it is stored, and checked again when it is extracted.
/// Uploads and extractions in progress live in <c>{root}/tmp/</c> (same file system, so the final rename is atomic);
/// what a killed platform left there is removed when the next one starts.
/// </summary>
public sealed class PackageStore
{
    private const int CopyBufferSize = 81920;
    private const string UploadPrefix = "upload-";
    private const string ExtractPrefix = "extract-";
    private const string LockSuffix = ".lock";

    private readonly string _packagesDirectory;
    private readonly string _codeDirectory;
    private readonly string _tempDirectory;
    private readonly ArchiveLimits _limits;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _extractionGates = new(StringComparer.Ordinal);
    private int _extractionCount;

    public PackageStore(string rootDirectory, ArchiveLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        var root = Path.GetFullPath(rootDirectory);
        _packagesDirectory = Path.Join(root, "packages");
        _codeDirectory = Path.Join(root, "code");
        _tempDirectory = Path.Join(root, "tmp");
        _limits = limits;
        RemoveStaleTemporaryFiles();
    }

    /// <summary>How many extractions this instance has performed; lets tests see that concurrent callers shared one.</summary>
    internal int ExtractionCount => Volatile.Read(ref _extractionCount);

    /// <summary>
    /// Reads the upload, validates every entry by decompressing it, and stores it under its digest.
    /// </summary>
    /// <exception cref="ArchiveRejectedException">The archive is unreadable, too large or unsafe; nothing was stored.</exception>
    public async Task<StoredPackage> StoreAsync(Stream archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        Directory.CreateDirectory(_packagesDirectory);
        Directory.CreateDirectory(_tempDirectory);
        // FileShare.None takes an exclusive lock (flock) for as long as the upload runs: start-up cleaning skips it.
        var tempPath = Path.Join(_tempDirectory, $"{UploadPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            string sha256;
            long size;
            await using (var temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                (sha256, size) = await CopyAndHashAsync(archive, temp, cancellationToken);
                temp.Position = 0;
                await ValidateAsync(temp, size, cancellationToken);
                temp.Flush(flushToDisk: true);
            }

            var packagePath = PackagePath(sha256);
            if (File.Exists(packagePath))
            {
                return new StoredPackage(sha256, size, Created: false);
            }

            try
            {
                File.Move(tempPath, packagePath, overwrite: false);
            }
            catch (IOException) when (File.Exists(packagePath))
            {
                // A concurrent upload of the same bytes won the rename.
                return new StoredPackage(sha256, size, Created: false);
            }

            return new StoredPackage(sha256, size, Created: true);
        }
        finally
        {
            TryDeleteFile(tempPath);
        }
    }

    public bool Exists(string sha256) => IsDigest(sha256) && File.Exists(PackagePath(sha256));

    /// <summary>
    /// Returns the directory holding the package's files, extracting it the first time. Concurrent callers for one
    /// digest share a single extraction; the directory appears only once it is complete.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 lowercase hex digits.</exception>
    /// <exception cref="FileNotFoundException">No package with that digest is stored.</exception>
    /// <exception cref="ArchiveRejectedException">The stored archive fails the checks (limits tightened, or tampered).</exception>
    public async Task<string> GetCodeDirectoryAsync(string sha256, CancellationToken cancellationToken)
    {
        if (!IsDigest(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a lowercase hex SHA-256 digest", nameof(sha256));
        }

        var codeDirectory = Path.Join(_codeDirectory, sha256);
        if (Directory.Exists(codeDirectory))
        {
            return codeDirectory;
        }

        var packagePath = PackagePath(sha256);
        if (!File.Exists(packagePath))
        {
            throw new FileNotFoundException($"package {sha256} is not stored", packagePath);
        }

        var gate = _extractionGates.GetOrAdd(sha256, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Directory.Exists(codeDirectory))
            {
                return codeDirectory;
            }

            Directory.CreateDirectory(_codeDirectory);
            Directory.CreateDirectory(_tempDirectory);
            var tempDirectory = Path.Join(_tempDirectory, $"{ExtractPrefix}{sha256}-{Guid.NewGuid():N}");
            // Held (locked) while the extraction runs, so a second platform on this data directory leaves it alone.
            using var inUse = new FileStream(tempDirectory + LockSuffix, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            try
            {
                await PackageExtractor.ExtractAsync(packagePath, tempDirectory, _limits, cancellationToken);
                Interlocked.Increment(ref _extractionCount);
                try
                {
                    Directory.Move(tempDirectory, codeDirectory);
                }
                catch (IOException) when (Directory.Exists(codeDirectory))
                {
                    // Another process sharing the data directory finished first; its copy is identical.
                }
            }
            finally
            {
                TryDeleteDirectory(tempDirectory);
            }

            return codeDirectory;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Removes what uploads and extractions interrupted by a kill left behind: everything in <c>tmp/</c> that no live
    /// process holds locked, and the temporary names older versions used inside <c>packages/</c> and <c>code/</c>.
    /// </summary>
    private void RemoveStaleTemporaryFiles()
    {
        foreach (var file in Entries(_tempDirectory, "*", directories: false))
        {
            if (file.EndsWith(LockSuffix, StringComparison.Ordinal))
            {
                continue; // judged with its extraction directory below
            }

            TryDeleteUnlockedFile(file);
        }

        foreach (var directory in Entries(_tempDirectory, ExtractPrefix + "*", directories: true))
        {
            var lockFile = directory + LockSuffix;
            if (!File.Exists(lockFile) || TryDeleteUnlockedFile(lockFile))
            {
                TryDeleteDirectory(directory);
            }
        }

        foreach (var orphanedLock in Entries(_tempDirectory, "*" + LockSuffix, directories: false))
        {
            if (!Directory.Exists(orphanedLock[..^LockSuffix.Length]))
            {
                TryDeleteUnlockedFile(orphanedLock);
            }
        }

        foreach (var file in Entries(_packagesDirectory, ".upload-*.tmp", directories: false))
        {
            TryDeleteUnlockedFile(file);
        }

        foreach (var directory in Entries(_codeDirectory, ".extract-*", directories: true))
        {
            TryDeleteDirectory(directory);
        }
    }

    private static string[] Entries(string directory, string pattern, bool directories)
    {
        try
        {
            return directories ? Directory.GetDirectories(directory, pattern) : Directory.GetFiles(directory, pattern);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Deletes the file unless another process holds it open with an exclusive lock; true if it is gone.</summary>
    private static bool TryDeleteUnlockedFile(string path)
    {
        try
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                File.Delete(path); // deleting while we hold the lock: nobody can take it in between
            }

            return true;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // locked: an upload or extraction of a live process
        }
    }

    private async Task<(string Sha256, long Size)> CopyAndHashAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long size = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
            {
                size += read;
                if (size > _limits.MaxArchiveBytes)
                {
                    throw new ArchiveRejectedException(
                        ArchiveRejectionReason.ArchiveTooLarge,
                        $"archive is larger than the limit of {_limits.MaxArchiveBytes} bytes");
                }

                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ValidateAsync(Stream archive, long size, CancellationToken cancellationToken)
    {
        await using var zip = await ArchiveInspector.OpenAsync(archive, cancellationToken);
        var inspector = new ArchiveInspector(_limits, size);
        var entries = await inspector.PlanAsync(zip, cancellationToken);
        foreach (var entry in entries)
        {
            if (entry.Kind != PackageEntryKind.SymbolicLink)
            {
                await inspector.CopyEntryAsync(entry, Stream.Null, cancellationToken);
            }
        }
    }

    private string PackagePath(string sha256) => Path.Join(_packagesDirectory, sha256 + ".zip");

    private static bool IsDigest(string? value) =>
        value is { Length: 64 } && value.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
