using System.IO.Compression;
using System.Security.Cryptography;

namespace Nimbus.Cli.Packaging;

/// <summary>
/// Zips a directory so that the same files always give the same bytes, hence the same SHA-256, and the server
/// can tell an unchanged package from a new one: entries sorted by path (ordinal, '/' separators), one fixed
/// timestamp, and unix permissions normalized to 0755 (any execute bit set) or 0644 in the external attributes,
/// so a <c>bootstrap</c> stays executable without umask or checkout differences leaking into the digest.
/// Symbolic links to files are stored as the file they point to; links to directories are skipped (no cycles).
/// </summary>
public static class DeterministicZip
{
    /// <summary>The timestamp of every entry. DOS dates start in 1980; a later date survives any time-zone conversion.</summary>
    public static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int RegularFile = 0x8000;
    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static byte[] Create(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"directory {directory} does not exist");
        }

        var files = new List<(string EntryName, string FullPath)>();
        Collect(directory, "", files);
        files.Sort((a, b) => string.CompareOrdinal(a.EntryName, b.EntryName));

        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, fullPath) in files)
            {
                var entry = archive.CreateEntry(entryName, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                var mode = IsExecutable(fullPath) ? 0b111_101_101 : 0b110_100_100;
                entry.ExternalAttributes = unchecked((int)((uint)(RegularFile | mode) << 16));
                using var source = File.OpenRead(fullPath);
                using var target = entry.Open();
                source.CopyTo(target);
            }
        }

        return buffer.ToArray();
    }

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void Collect(string directory, string prefix, List<(string, string)> files)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory))
        {
            var name = prefix + Path.GetFileName(path);
            var info = new FileInfo(path);
            if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                if (info.LinkTarget is null)
                {
                    Collect(path, name + "/", files);
                }
            }
            else if (info.LinkTarget is null || File.Exists(path))
            {
                files.Add((name, path));
            }
        }
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows has no execute bit; the one file that must be executable in a package is the custom runtime.
            return Path.GetFileName(path) == "bootstrap";
        }

        return (File.GetUnixFileMode(path) & Executable) != 0;
    }
}
