namespace Nimbus.Server.Events.Queues;

/// <summary>
/// Wakes the event source poller when there may be new work (a sent message, a resume, a finished batch) instead of
/// letting it wait for its idle interval. Many wakes before one wait count as one.
/// </summary>
public sealed class EventSourceSignal
{
    private TaskCompletionSource _wake = NewSource();

    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>Returns when woken or after <paramref name="timeout"/> on <paramref name="timeProvider"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake);
        if (!wake.Task.IsCompleted)
        {
            using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
            await wake.Task.WaitAsync(linked.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // The poller looks at the queues before it waits again, so a wake landing after this swap is not lost.
        Interlocked.CompareExchange(ref _wake, NewSource(), wake);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
