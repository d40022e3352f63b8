using System.Buffers.Binary;

namespace Nimbus.Core.Invocations;

/// <summary>
/// A request id as a 64-bit number for an index: the first 8 bytes of the UUID, which for the ids Nimbus makes
/// (<see cref="RequestIds"/>, version 7) are the arrival time in milliseconds and 16 more bits, so new keys come in
/// order and an index of them takes new entries on its last page. Not unique (a lookup also compares the id itself); an id
/// that is not a UUID gets a 64-bit FNV-1a hash of its characters.
/// </summary>
public static class RequestKeys
{
    public static long Of(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        Span<byte> bytes = stackalloc byte[16];
        if (Guid.TryParseExact(requestId, "D", out var guid) && guid.TryWriteBytes(bytes, bigEndian: true, out _))
        {
            return BinaryPrimitives.ReadInt64BigEndian(bytes);
        }

        var hash = 14695981039346656037UL;
        foreach (var c in requestId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
