namespace Nimbus.Functions.Runtime;

/// <summary>A growable byte array that a response body is read into; reused from one response to the next.</summary>
internal sealed class BodyBuffer(int initialCapacity)
{
    public byte[] Array { get; private set; } = new byte[initialCapacity];

    public int Length { get; set; }

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    /// <summary>The free part after <see cref="Length"/>, grown (contents kept) to hold at least <paramref name="more"/> bytes.</summary>
    public Memory<byte> Free(long more)
    {
        var needed = Length + more;
        if (needed > System.Array.MaxLength)
        {
            throw new IOException($"the runtime API sent a body over {System.Array.MaxLength} bytes");
        }

        if (needed > Array.Length)
        {
            var grown = new byte[Math.Max(needed, Math.Min((long)Array.Length * 2, System.Array.MaxLength))];
            Array.AsSpan(0, Length).CopyTo(grown);
            Array = grown;
        }

        return Array.AsMemory(Length);
    }
}
