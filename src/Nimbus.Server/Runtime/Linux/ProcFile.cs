using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>Reads /proc files without streams or strings: a process can vanish between any two reads, so misses are normal.</summary>
internal static class ProcFile
{
    /// <summary>Reads up to <c>buffer.Length</c> bytes; returns -1 if the file (or its process) is gone.</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        using var handle = TryOpen(path);
        if (handle is null)
        {
            return -1;
        }

        try
        {
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer[total..], total)) > 0)
            {
                total += read;
            }

            return total;
        }
        catch (IOException)
        {
            return -1; // ESRCH from a process that exited while we read
        }
    }

    /// <summary>Reads the whole file into a pooled buffer the caller must return; null if the file is gone.</summary>
    public static byte[]? ReadAll(string path, int initialSize, out int length)
    {
        length = 0;
        using var handle = TryOpen(path);
        if (handle is null)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(initialSize);
        try
        {
            int read;
            // /proc files report size 0, so read until end of file.
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return buffer;
        }
        catch (IOException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            length = 0;
            return null;
        }
    }

    /// <summary>Parses a non-negative decimal at the start of <paramref name="text"/>; advances past it.</summary>
    public static bool TryParseNumber(ref ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        text = text[i..];
        return i > 0;
    }

    public static ReadOnlySpan<byte> SkipSpaces(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return text[i..];
    }

    private static SafeFileHandle? TryOpen(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }
}
