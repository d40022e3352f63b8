using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>
/// Exact lookup of one TCP socket by its 4-tuple through NETLINK_SOCK_DIAG (what <c>ss</c> uses). Reading
/// /proc/net/tcp walks every bucket of the kernel's established-connection hash table (262,144 on a typical host), which
/// takes milliseconds however few connections exist; this is a single hash lookup.
/// </summary>
internal static unsafe class InetDiag
{
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmsgError = 2;
    private const ushort NlmFRequest = 1;
    private const int HeaderLength = 16; // struct nlmsghdr
    private const int RequestLength = HeaderLength + 56; // + struct inet_diag_req_v2
    private const int ResponseInodeOffset = HeaderLength + 68; // idiag_inode in struct inet_diag_msg

    /// <summary>
    /// Finds the TCP socket whose local end is (<paramref name="local"/>, <paramref name="localPort"/>) and remote end
    /// (<paramref name="remote"/>, <paramref name="remotePort"/>). Returns false when netlink itself is unavailable
    /// (say, blocked by seccomp), so the caller can fall back; otherwise true with the inode, 0 if there is no such
    /// socket or it has no inode any more (TIME_WAIT).
    /// </summary>
    public static bool TryFindInode(IPAddress local, int localPort, IPAddress remote, int remotePort, out ulong inode)
    {
        inode = 0;
        var family = local.AddressFamily == AddressFamily.InterNetwork ? (byte)2 : (byte)10; // AF_INET, AF_INET6
        var request = stackalloc byte[RequestLength];
        var span = new Span<byte>(request, RequestLength);
        span.Clear();
        // Netlink headers are in host byte order, socket ids in network order.
        MemoryMarshal.Write(span, (uint)RequestLength);
        MemoryMarshal.Write(span[4..], SockDiagByFamily);
        MemoryMarshal.Write(span[6..], NlmFRequest); // no NLM_F_DUMP: look up exactly this socket
        var body = span[HeaderLength..];
        body[0] = family;
        body[1] = (byte)ProtocolType.Tcp;
        MemoryMarshal.Write(body[4..], uint.MaxValue); // every state
        var id = body[8..]; // struct inet_diag_sockid
        BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)localPort);
        BinaryPrimitives.WriteUInt16BigEndian(id[2..], (ushort)remotePort);
        local.TryWriteBytes(id[4..20], out _);
        remote.TryWriteBytes(id[20..36], out _);
        MemoryMarshal.Write(id[40..], ulong.MaxValue); // INET_DIAG_NOCOOKIE

        var fd = LibC.Socket(LibC.AF_NETLINK, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, LibC.NETLINK_SOCK_DIAG);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            if (LibC.Send(fd, request, RequestLength, 0) != RequestLength)
            {
                return false;
            }

            const int responseCapacity = 512;
            var response = stackalloc byte[responseCapacity];
            // The kernel answers a single lookup while handling the send, so the reply is already queued.
            var received = (int)LibC.Receive(fd, response, responseCapacity, LibC.MSG_DONTWAIT);
            if (received < HeaderLength)
            {
                return false;
            }

            var reply = new ReadOnlySpan<byte>(response, received);
            var type = MemoryMarshal.Read<ushort>(reply[4..]);
            if (type == NlmsgError)
            {
                // ENOENT: no such socket. Anything else (EINVAL, EPERM) means the lookup itself did not work.
                var error = received >= HeaderLength + 4 ? MemoryMarshal.Read<int>(reply[HeaderLength..]) : 0;
                return error == -2;
            }

            if (type != SockDiagByFamily || received < ResponseInodeOffset + 4)
            {
                return false;
            }

            inode = MemoryMarshal.Read<uint>(reply[ResponseInodeOffset..]);
            return true;
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
