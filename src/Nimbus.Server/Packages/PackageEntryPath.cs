using System.Text;

namespace Nimbus.Server.Packages;

/// <summary>Turns a zip entry name into a safe relative path, or rejects it.</summary>
internal static class PackageEntryPath
{
    // Linux limits; checking here turns an IOException deep in extraction into a message that names the entry.
    private const int MaxSegmentBytes = 255;
    private const int MaxPathBytes = 1024;

    /// <summary>
    /// Returns the entry's path with '/' separators and no empty or '.' segments; "" for the root itself.
    /// Backslashes count as separators because archives made on Windows use them and some extractors honour them.
    /// </summary>
    public static string Normalize(string name)
    {
        if (name.Length == 0)
        {
            throw Reject(ArchiveRejectionReason.InvalidEntryName, name, $"an entry has an empty name");
        }

        if (name.Contains('\0'))
        {
            throw Reject(ArchiveRejectionReason.InvalidEntryName, name, $"entry '{Printable(name)}' has a NUL character in its name");
        }

        if (name[0] is '/' or '\\' || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':'))
        {
            throw Reject(ArchiveRejectionReason.AbsolutePath, name, $"entry '{name}' is an absolute path");
        }

        var builder = new StringBuilder(name.Length);
        foreach (var segment in name.Split('/', '\\'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw Reject(ArchiveRejectionReason.PathTraversal, name, $"entry '{name}' escapes the package root ('..' segments are not allowed)");
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                throw Reject(ArchiveRejectionReason.InvalidEntryName, name, $"entry '{name}' has a path segment longer than {MaxSegmentBytes} bytes");
            }

            if (builder.Length > 0)
            {
                builder.Append('/');
            }

            builder.Append(segment);
        }

        var path = builder.ToString();
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw Reject(ArchiveRejectionReason.InvalidEntryName, name, $"entry '{name}' has a path longer than {MaxPathBytes} bytes");
        }

        return path;
    }

    public static bool EndsWithSeparator(string name) => name.Length > 0 && name[^1] is '/' or '\\';

    private static string Printable(string name) => name.Replace("\0", "\\0", StringComparison.Ordinal);

    private static ArchiveRejectedException Reject(string reason, string name, string message) => new(reason, message, name);
}
