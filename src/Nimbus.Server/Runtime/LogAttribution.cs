using System.Runtime.InteropServices;

namespace Nimbus.Server.Runtime;

/// <summary>
/// Which invocation an instance's plain output belongs to, and whether output it wrote is still on its way to becoming
/// log records (docs/design/dispatcher.md, "Log attribution"). Also keeps the last few lines to explain a crash.
/// </summary>
public sealed class LogAttribution
{
    private const int RecentLines = 5;
    private const int RecentLineChars = 300;
    private readonly Queue<string> _recentOutput = new();
    private Invocation? _owner;
    private int _chunksInProcess;
    private SafeHandle? _stdout;
    private SafeHandle? _stderr;

    /// <summary>
    /// The invocation the worker last took with <c>invocation/next</c>. Output without a request id belongs to it until
    /// the worker asks for the next one: the runtime API says a worker signals completion by asking again.
    /// </summary>
    public Invocation? Owner
    {
        get => Volatile.Read(ref _owner);
        set => Volatile.Write(ref _owner, value);
    }

    /// <summary>True while output the worker has written is still unread or unprocessed.</summary>
    public bool HasPendingOutput =>
        Volatile.Read(ref _chunksInProcess) > 0
        || Linux.PipeBacklog.AnyAvailable(Volatile.Read(ref _stdout), Volatile.Read(ref _stderr));

    /// <summary>The pipes the worker writes to, so that unread output can be measured (null where they are not pipes).</summary>
    public void AttachPipes(SafeHandle? stdout, SafeHandle? stderr)
    {
        Volatile.Write(ref _stdout, stdout);
        Volatile.Write(ref _stderr, stderr);
    }

    /// <summary>A pump read a chunk and is turning it into records.</summary>
    public void ChunkStarted() => Interlocked.Increment(ref _chunksInProcess);

    /// <summary>The chunk's lines are records now.</summary>
    public void ChunkFinished() => Interlocked.Decrement(ref _chunksInProcess);

    /// <summary>
    /// Waits (briefly, bounded) until everything the worker wrote so far has become log records, so that the output of
    /// the invocation it just finished is attributed before the next one begins.
    /// </summary>
    /// <remarks>This waits for the operating system's pipes, not for a platform timer, so it uses real time.</remarks>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 40 && HasPendingOutput && !cancellationToken.IsCancellationRequested; i++)
        {
            if (i < 20)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Keeps the last few output lines, to explain an init failure or a crash.</summary>
    public void Remember(string line)
    {
        lock (_recentOutput)
        {
            _recentOutput.Enqueue(line.Length > RecentLineChars ? line[..RecentLineChars] : line);
            while (_recentOutput.Count > RecentLines)
            {
                _recentOutput.Dequeue();
            }
        }
    }

    public string RecentOutput()
    {
        lock (_recentOutput)
        {
            return string.Join(" | ", _recentOutput);
        }
    }
}
