using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Nimbus.Server.Tests.Packages;

/// <summary>Builds zip archives in memory, including ones no well-behaved tool would write.</summary>
internal sealed class TestArchive
{
    public const int RegularFile = 0x8000;
    public const int Directory = 0x4000;
    public const int SymbolicLink = 0xA000;
    public const int CharacterDevice = 0x2000;
    public const int Fifo = 0x1000;

    private readonly List<Action<ZipArchive>> _writers = [];

    /// <param name="unixMode">Type and permission bits for the external attributes; 0 writes none (as Windows tools do).</param>
    public TestArchive File(string name, string content, int unixMode = RegularFile | 0b110_100_100) =>
        File(name, Encoding.UTF8.GetBytes(content), unixMode);

    public TestArchive File(string name, byte[] content, int unixMode = RegularFile | 0b110_100_100) =>
        Add(name, unixMode, CompressionLevel.Optimal, stream => stream.Write(content));

    /// <summary>An entry of <paramref name="length"/> zero bytes: compresses about 1000:1.</summary>
    public TestArchive Zeros(string name, long length) =>
        Add(name, RegularFile | 0b110_100_100, CompressionLevel.Optimal, stream =>
        {
            var chunk = new byte[1 << 20];
            for (var left = length; left > 0; left -= chunk.Length)
            {
                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
        });

    public TestArchive Dir(string name, int unixMode = Directory | 0b111_101_101) =>
        Add(name, unixMode, CompressionLevel.NoCompression, _ => { });

    public TestArchive Symlink(string name, string target) =>
        Add(name, SymbolicLink | 0b111_111_111, CompressionLevel.NoCompression, stream => stream.Write(Encoding.UTF8.GetBytes(target)));

    public TestArchive Special(string name, int unixType) =>
        Add(name, unixType | 0b110_100_100, CompressionLevel.NoCompression, _ => { });

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var write in _writers)
            {
                write(archive);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Rewrites the first entry's uncompressed size (and optionally CRC-32) in both the local header and the central
    /// directory, the way a hand-crafted bomb would.
    /// </summary>
    public static byte[] WithLyingHeader(byte[] zip, uint declaredLength, uint? declaredCrc = null)
    {
        var patched = (byte[])zip.Clone();
        if (BinaryPrimitives.ReadUInt32LittleEndian(patched) != 0x04034b50)
        {
            throw new InvalidOperationException("expected a local file header at offset 0");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(22), declaredLength);
        var central = FindLast(patched, 0x02014b50);
        BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(central + 24), declaredLength);
        if (declaredCrc is { } crc)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(14), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(central + 16), crc);
        }

        return patched;
    }

    private static int FindLast(byte[] data, uint signature)
    {
        for (var i = data.Length - 4; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i)) == signature)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"signature 0x{signature:X8} not found");
    }

    private TestArchive Add(string name, int unixMode, CompressionLevel level, Action<Stream> write)
    {
        _writers.Add(archive =>
        {
            var entry = archive.CreateEntry(name, level);
            entry.ExternalAttributes = unixMode << 16;
            using var stream = entry.Open();
            write(stream);
        });
        return this;
    }
}
