using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Nimbus.Core.Invocations;

/// <summary>
/// New request ids. Lambda's shape (a lower-case UUID string), generated time-ordered (UUID version 7: 48 bits of Unix
/// milliseconds, then 74 random bits) because the invocation records, log lines and async events are indexed by request
/// id: a batch of new records then lands on the right edge of each index, a few pages, instead of one random page per
/// record (each a read and a write of its own once the index outgrows the page cache).
/// </summary>
/// <remarks>
/// The random bits are taken from a per-thread block that <see cref="RandomNumberGenerator"/> fills 4 KiB at a time.
/// <see cref="Guid.CreateVersion7()"/> reads <c>/dev/urandom</c> for every id on Linux, and each call of
/// <see cref="RandomNumberGenerator"/> makes a <c>getpid</c> (OpenSSL's fork check): either is one system call on every
/// invoke (docs/design/warm-path.md, "System calls per invoke (session 15, measured)").
/// </remarks>
public static class RequestIds
{
    private const int RandomBytes = 10;
    private const int BlockBytes = 4096 / RandomBytes * RandomBytes;

    [ThreadStatic] private static byte[]? t_block;
    [ThreadStatic] private static int t_left;

    public static string New() => New(DateTimeOffset.UtcNow);

    /// <summary>A version 7 id whose time field is <paramref name="now"/>'s Unix milliseconds.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        TakeRandom(bytes[6..]);
        var millis = now.ToUnixTimeMilliseconds(); // its low 48 bits, most significant first
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(millis >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], (ushort)millis);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static void TakeRandom(Span<byte> destination)
    {
        var block = t_block ??= new byte[BlockBytes];
        if (t_left < RandomBytes)
        {
            RandomNumberGenerator.Fill(block);
            t_left = BlockBytes;
        }

        var taken = block.AsSpan(BlockBytes - t_left, RandomBytes);
        taken.CopyTo(destination);
        taken.Clear(); // each byte is handed out once
        t_left -= RandomBytes;
    }
}
