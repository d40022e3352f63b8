using System.IO.Enumeration;
using System.Text;

namespace Nimbus.Server.Runtime.Linux;

/// <summary>
/// Lists the numeric entries (pids, thread ids, file descriptors) of a /proc directory. Uses getdents64 directly: the
/// managed enumerator also stats every symbolic link it meets, which made scanning /proc/pid/fd several times slower.
/// </summary>
internal static unsafe class ProcDirectory
{
    private const int NameOffset = 19; // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[]
    private static bool s_useManagedEnumeration;

    /// <summary>Appends the directory's numeric entry names to <paramref name="numbers"/>; false if the directory is gone.</summary>
    public static bool ReadNumericEntries(string directory, List<int> numbers)
    {
        if (!Volatile.Read(ref s_useManagedEnumeration))
        {
            try
            {
                return ReadWithGetdents(directory, numbers);
            }
            catch (EntryPointNotFoundException)
            {
                Volatile.Write(ref s_useManagedEnumeration, true); // a libc without getdents64 (older glibc)
            }
        }

        return ReadWithEnumerator(directory, numbers);
    }

    private static bool ReadWithGetdents(string directory, List<int> numbers)
    {
        Span<byte> path = stackalloc byte[Encoding.UTF8.GetMaxByteCount(directory.Length) + 1];
        path[Encoding.UTF8.GetBytes(directory, path)] = 0;
        int fd;
        fixed (byte* pathPointer = path)
        {
            fd = LibC.Open(pathPointer, LibC.O_RDONLY | LibC.O_CLOEXEC);
        }

        if (fd < 0)
        {
            return false;
        }

        try
        {
            const int bufferSize = 4096;
            var buffer = stackalloc byte[bufferSize];
            nint read;
            while ((read = LibC.GetDirectoryEntries64(fd, buffer, bufferSize)) > 0)
            {
                for (var offset = 0; offset < read;)
                {
                    var recordLength = *(ushort*)(buffer + offset + 16);
                    if (recordLength == 0)
                    {
                        break;
                    }

                    var number = 0;
                    var digits = 0;
                    for (var name = buffer + offset + NameOffset; *name != 0; name++)
                    {
                        var digit = *name - '0';
                        if ((uint)digit > 9 || digits == 9)
                        {
                            digits = 0;
                            break;
                        }

                        number = (number * 10) + digit;
                        digits++;
                    }

                    if (digits > 0)
                    {
                        numbers.Add(number);
                    }

                    offset += recordLength;
                }
            }

            // A process that exits while we list it makes getdents fail; what was listed is still a valid snapshot.
            return true;
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private static bool ReadWithEnumerator(string directory, List<int> numbers)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false };
        try
        {
            var entries = new FileSystemEnumerable<int>(directory, static (ref entry) => ParseName(entry.FileName), options)
            {
                ShouldIncludePredicate = static (ref entry) => ParseName(entry.FileName) >= 0,
            };
            numbers.AddRange(entries);
            return true;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int ParseName(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= 9 && !name.ContainsAnyExceptInRange('0', '9') ? int.Parse(name) : -1;
}
