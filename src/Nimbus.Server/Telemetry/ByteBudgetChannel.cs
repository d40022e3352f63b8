using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Nimbus.Server.Telemetry;

/// <summary>
/// A drop-oldest channel bounded twice: by item count and by the bytes its items hold. A count alone does not bound
/// memory when items vary in size (200,000 log records of 256 KB each would be 50 GB); past the byte budget the oldest
/// items are dropped and counted, as past the count.
/// </summary>
/// <remarks>
/// Writing costs one interlocked add beyond the channel's own work; the oldest items are taken out only while the
/// budget is exceeded. The size of an item is an estimate the caller gives, computed once per write and once per read.
/// </remarks>
public sealed class ByteBudgetChannel<T> : Channel<T>
{
    private readonly Channel<T> _inner;
    private readonly Func<T, long> _sizeOf;
    private readonly Action _onDropped;
    private long _bytes;

    /// <param name="capacity">The most items held.</param>
    /// <param name="byteBudget">The most bytes held (as <paramref name="sizeOf"/> estimates them).</param>
    /// <param name="sizeOf">The bytes one item holds.</param>
    /// <param name="onDropped">Called once for every item dropped to stay within either bound.</param>
    public ByteBudgetChannel(int capacity, long byteBudget, Func<T, long> sizeOf, Action onDropped)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(byteBudget);
        ArgumentNullException.ThrowIfNull(sizeOf);
        ArgumentNullException.ThrowIfNull(onDropped);
        ByteBudget = byteBudget;
        _sizeOf = sizeOf;
        _onDropped = onDropped;
        // Not SingleReader: a writer over budget takes the oldest items out itself.
        _inner = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest }, Dropped);
        Reader = new BudgetReader(this);
        Writer = new BudgetWriter(this);
    }

    public long ByteBudget { get; }

    /// <summary>The bytes the items now in the channel hold.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    private void Dropped(T item)
    {
        Interlocked.Add(ref _bytes, -_sizeOf(item));
        _onDropped();
    }

    private bool TryWrite(T item)
    {
        var size = _sizeOf(item);
        // Counted before the write, so a reader that takes the item at once never drives the count below zero.
        var total = Interlocked.Add(ref _bytes, size);
        if (!_inner.Writer.TryWrite(item))
        {
            Interlocked.Add(ref _bytes, -size); // completed
            return false;
        }

        while (total > ByteBudget && _inner.Reader.TryRead(out var oldest))
        {
            total = Interlocked.Add(ref _bytes, -_sizeOf(oldest));
            _onDropped();
        }

        return true;
    }

    private bool TryRead([MaybeNullWhen(false)] out T item)
    {
        if (!_inner.Reader.TryRead(out item))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -_sizeOf(item));
        return true;
    }

    private sealed class BudgetWriter(ByteBudgetChannel<T> channel) : ChannelWriter<T>
    {
        public override bool TryComplete(Exception? error = null) => channel._inner.Writer.TryComplete(error);

        public override bool TryWrite(T item) => channel.TryWrite(item);

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            channel._inner.Writer.WaitToWriteAsync(cancellationToken);
    }

    private sealed class BudgetReader(ByteBudgetChannel<T> channel) : ChannelReader<T>
    {
        public override Task Completion => channel._inner.Reader.Completion;

        public override bool CanCount => true;

        public override int Count => channel._inner.Reader.Count;

        public override bool TryRead([MaybeNullWhen(false)] out T item) => channel.TryRead(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            channel._inner.Reader.WaitToReadAsync(cancellationToken);
    }
}
