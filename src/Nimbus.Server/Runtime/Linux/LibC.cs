using System.Runtime.InteropServices;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>The few libc calls .NET does not expose: signals to arbitrary pids, readlink into a caller's buffer, netlink.</summary>
internal static unsafe partial class LibC
{
    // Same numbers on every architecture .NET runs Linux on (asm-generic).
    public const int SIGKILL = 9;
    public const int SIGSTOP = 19;
    public const int ESRCH = 3;

    public const int AF_NETLINK = 16;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_SOCK_DIAG = 4;
    public const int MSG_DONTWAIT = 0x40;
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    public static partial nint ReadLink(byte* path, byte* buffer, nint bufferSize);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    /// <summary>Exported by glibc since 2.30; records are the kernel's struct linux_dirent64 on every architecture.</summary>
    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDirectoryEntries64(int fd, byte* buffer, nint length);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nint length, int flags);

    /// <summary>Waits at most <paramref name="timeoutMs"/> (0: not at all) for one of the descriptors to be ready.</summary>
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    /// <summary>poll event: there is data to read.</summary>
    public const short POLLIN = 0x001;

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}

/// <summary><c>struct pollfd</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}
