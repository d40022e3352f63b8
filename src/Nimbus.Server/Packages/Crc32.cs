namespace Nimbus.Server.Packages;

/// <summary>
/// CRC-32 (IEEE 802.3, as in zip). System.IO.Compression does not verify entry checksums when reading, and it silently
/// stops at the size the header declares, so a header that lies about an entry's size only shows up as a bad checksum.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = s_table;
        crc = ~crc;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            var c = i;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
