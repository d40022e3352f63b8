using System.Buffers;
using System.Text;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>Reads /proc files without streams or strings: a process can vanish between any two reads, so misses are normal.</summary>
internal static class ProcFile
{
    /// <summary>Reads up to <c>buffer.Length</c> bytes; returns -1 if the file (or its process) is gone.</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        var fd = Open(path);
        if (fd < 0)
        {
            return -1;
        }

        try
        {
            var total = 0;
            var read = 0;
            while (total < buffer.Length && (read = ReadAt(fd, buffer[total..], total)) > 0)
            {
                total += read;
            }

            return read < 0 && total == 0 ? -1 : total; // ESRCH from a process that exited while we read
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>Reads the whole file into a pooled buffer the caller must return; null if the file is gone.</summary>
    public static byte[]? ReadAll(string path, int initialSize, out int length)
    {
        length = 0;
        var fd = Open(path);
        if (fd < 0)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(initialSize);
        try
        {
            int read;
            // /proc files report size 0, so read until end of file.
            while ((read = ReadAt(fd, buffer.AsSpan(length), length)) > 0)
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

            if (read < 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                length = 0;
                return null;
            }

            return buffer;
        }
        finally
        {
            LibC.Close(fd);
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

    /// <summary>
    /// open(2) itself: File.OpenHandle adds an fstat and a flock/unlock pair per file (FileShare emulation), which the
    /// memory sampler would pay for every instance ten times a second.
    /// </summary>
    private static unsafe int Open(string path)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(path.Length) + 1];
        bytes[Encoding.UTF8.GetBytes(path, bytes)] = 0;
        fixed (byte* pointer = bytes)
        {
            return LibC.Open(pointer, LibC.O_RDONLY | LibC.O_CLOEXEC);
        }
    }

    private static unsafe int ReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* pointer = buffer)
        {
            return (int)LibC.PRead(fd, pointer, buffer.Length, offset);
        }
    }
}
