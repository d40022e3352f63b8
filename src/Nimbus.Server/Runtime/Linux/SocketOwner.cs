using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>
/// Tells which process holds the client end of a loopback TCP connection, so a per-instance runtime API port can refuse
/// connections from processes other than the instance it was handed to.
/// </summary>
/// <remarks>
/// The connection's client socket is found by an exact NETLINK_SOCK_DIAG lookup (tens of microseconds), falling back to
/// /proc/net/tcp and /proc/net/tcp6 where netlink is unavailable; then only the file descriptors of the process tree
/// are read, never all of /proc.
/// </remarks>
public static class SocketOwner
{
    private const string Tcp4Table = "/proc/net/tcp";
    private const string Tcp6Table = "/proc/net/tcp6";
    // Fields after the remote address up to the inode: st, tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout.
    private const int FieldsBeforeInode = 6;

    /// <summary>
    /// True if <paramref name="rootPid"/> or one of its descendants has an open file descriptor on the client socket of
    /// the connection from <paramref name="client"/> to <paramref name="server"/> (both as the server saw them).
    /// False if the connection is not (or no longer) in the kernel's tables, or is held only by other processes.
    /// </summary>
    public static bool IsOwnedByProcessTree(IPEndPoint client, IPEndPoint server, int rootPid)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rootPid);

        var inode = FindClientSocketInode(client, server);
        if (inode == 0)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        var expectedLength = Encoding.ASCII.GetBytes($"socket:[{inode}]", expected);
        expected = expected[..expectedLength];
        if (HasFileDescriptorLinkingTo(rootPid, expected))
        {
            return true;
        }

        // The worker itself usually holds the socket; only walk the tree when it does not.
        var descendants = new List<int>();
        ProcessTree.CollectDescendants(rootPid, descendants);
        foreach (var pid in descendants)
        {
            if (HasFileDescriptorLinkingTo(pid, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The inode of the socket whose local end is <paramref name="client"/> and remote end <paramref name="server"/>; 0 if none.</summary>
    internal static ulong FindClientSocketInode(IPEndPoint client, IPEndPoint server)
    {
        var clientAddress = Unmap(client.Address);
        var serverAddress = Unmap(server.Address);
        if (clientAddress.AddressFamily != serverAddress.AddressFamily)
        {
            return 0;
        }

        if (InetDiag.TryFindInode(clientAddress, client.Port, serverAddress, server.Port, out var inode))
        {
            if (inode != 0 || clientAddress.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return inode;
            }

            // An IPv4 connection from a dual-stack IPv6 client socket is an AF_INET6 socket with mapped addresses.
            if (InetDiag.TryFindInode(clientAddress.MapToIPv6(), client.Port, serverAddress.MapToIPv6(), server.Port, out inode))
            {
                return inode;
            }
        }

        return FindClientSocketInodeInProcTables(clientAddress, client.Port, serverAddress, server.Port);
    }

    /// <summary>The slow path, for when netlink is not available: milliseconds per call on a typical kernel.</summary>
    internal static ulong FindClientSocketInodeInProcTables(IPAddress clientAddress, int clientPort, IPAddress serverAddress, int serverPort)
    {
        Span<byte> key = stackalloc byte[80];
        if (clientAddress.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return FindInode(Tcp6Table, key[..FormatKey(clientAddress, clientPort, serverAddress, serverPort, key)]);
        }

        // An IPv4 connection sits in the IPv4 table, unless the client used a dual-stack IPv6 socket: then it is in
        // the IPv6 table with IPv4-mapped addresses.
        var inode = FindInode(Tcp4Table, key[..FormatKey(clientAddress, clientPort, serverAddress, serverPort, key)]);
        if (inode != 0)
        {
            return inode;
        }

        var length = FormatKey(clientAddress.MapToIPv6(), clientPort, serverAddress.MapToIPv6(), serverPort, key);
        return FindInode(Tcp6Table, key[..length]);
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>
    /// Writes "LOCAL:PORT REMOTE:PORT" the way the kernel prints it: each 32-bit word of the address, as stored in
    /// network order, printed as a native-endian integer with %08X; the port as %04X.
    /// </summary>
    private static int FormatKey(IPAddress local, int localPort, IPAddress remote, int remotePort, Span<byte> key)
    {
        var length = FormatEndpoint(local, localPort, key);
        key[length++] = (byte)' ';
        return length + FormatEndpoint(remote, remotePort, key[length..]);
    }

    private static int FormatEndpoint(IPAddress address, int port, Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var count);
        var length = 0;
        for (var word = 0; word < count; word += 4)
        {
            var value = MemoryMarshal.Read<uint>(bytes[word..]);
            value.TryFormat(destination[length..], out var written, "X8", CultureInfo.InvariantCulture);
            length += written;
        }

        destination[length++] = (byte)':';
        ((ushort)port).TryFormat(destination[length..], out var portLength, "X4", CultureInfo.InvariantCulture);
        return length + portLength;
    }

    private static ulong FindInode(string table, ReadOnlySpan<byte> key)
    {
        var buffer = ProcFile.ReadAll(table, 16 * 1024, out var length);
        if (buffer is null)
        {
            return 0;
        }

        try
        {
            ReadOnlySpan<byte> rest = buffer.AsSpan(0, length);
            var newline = rest.IndexOf((byte)'\n');
            rest = newline < 0 ? default : rest[(newline + 1)..]; // header
            while (!rest.IsEmpty)
            {
                newline = rest.IndexOf((byte)'\n');
                var line = newline < 0 ? rest : rest[..newline];
                rest = newline < 0 ? default : rest[(newline + 1)..];

                var colon = line.IndexOf((byte)':');
                if (colon < 0)
                {
                    continue;
                }

                var fields = ProcFile.SkipSpaces(line[(colon + 1)..]);
                if (!fields.StartsWith(key) || fields.Length == key.Length || fields[key.Length] != (byte)' ')
                {
                    continue;
                }

                var inode = ParseInode(fields[key.Length..]);
                // A TIME_WAIT row has no socket (inode 0); a live row for the same endpoints may follow.
                if (inode != 0)
                {
                    return inode;
                }
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ulong ParseInode(ReadOnlySpan<byte> afterAddresses)
    {
        var text = afterAddresses;
        for (var field = 0; field < FieldsBeforeInode; field++)
        {
            text = ProcFile.SkipSpaces(text);
            var end = text.IndexOfAny((byte)' ', (byte)'\t');
            if (end < 0)
            {
                return 0;
            }

            text = text[end..];
        }

        text = ProcFile.SkipSpaces(text);
        return ProcFile.TryParseNumber(ref text, out var inode) ? (ulong)inode : 0;
    }

    private static unsafe bool HasFileDescriptorLinkingTo(int pid, ReadOnlySpan<byte> expected)
    {
        var descriptors = new List<int>();
        if (!ProcDirectory.ReadNumericEntries($"/proc/{pid}/fd", descriptors))
        {
            return false; // gone, or not ours to inspect
        }

        Span<byte> path = stackalloc byte[64];
        var prefixLength = Encoding.ASCII.GetBytes($"/proc/{pid}/fd/", path);
        Span<byte> target = stackalloc byte[64];
        foreach (var descriptor in descriptors)
        {
            descriptor.TryFormat(path[prefixLength..], out var digits, default, CultureInfo.InvariantCulture);
            path[prefixLength + digits] = 0;
            nint written;
            fixed (byte* pathPointer = path)
            fixed (byte* targetPointer = target)
            {
                written = LibC.ReadLink(pathPointer, targetPointer, target.Length);
            }

            if (written == expected.Length && target[..(int)written].SequenceEqual(expected))
            {
                return true;
            }
        }

        return false;
    }
}
