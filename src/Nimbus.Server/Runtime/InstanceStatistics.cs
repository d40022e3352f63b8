namespace Nimbus.Server.Runtime;

/// <summary>
/// What the platform measures about one instance: invocations served, resident memory (sampled by the monitor, read by
/// REPORT) and when it last went idle. Written from several threads, so every field is read and written atomically.
/// </summary>
public sealed class InstanceStatistics
{
    private long _invocationCount;
    private long _lastRssBytes;
    private long _maxRssBytesThisInvocation;
    private long _lastUsedUtcTicks;

    public InstanceStatistics(DateTimeOffset startedAt) => _lastUsedUtcTicks = startedAt.UtcTicks;

    public long InvocationCount => Interlocked.Read(ref _invocationCount);

    /// <summary>The latest resident memory sample of the instance's process tree, in bytes.</summary>
    public long LastRssBytes => Interlocked.Read(ref _lastRssBytes);

    /// <summary>The most resident memory seen since the current (or last) invocation began: REPORT's "Max Memory Used".</summary>
    public long MaxRssBytesThisInvocation => Math.Max(Interlocked.Read(ref _maxRssBytesThisInvocation), LastRssBytes);

    /// <summary>When the instance last went idle (its start, before that): what scale-down and eviction compare.</summary>
    public DateTimeOffset LastUsedAt => new(Interlocked.Read(ref _lastUsedUtcTicks), TimeSpan.Zero);

    /// <summary>A new invocation begins: it is counted and its memory peak starts from the current sample.</summary>
    public void InvocationStarted()
    {
        Interlocked.Increment(ref _invocationCount);
        Interlocked.Exchange(ref _maxRssBytesThisInvocation, LastRssBytes);
    }

    public void RecordResidentMemory(long bytes)
    {
        Interlocked.Exchange(ref _lastRssBytes, bytes);
        var max = Interlocked.Read(ref _maxRssBytesThisInvocation);
        while (bytes > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxRssBytesThisInvocation, bytes, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void MarkUsed(DateTimeOffset now) => Interlocked.Exchange(ref _lastUsedUtcTicks, now.UtcTicks);
}
