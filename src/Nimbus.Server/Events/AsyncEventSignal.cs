namespace Nimbus.Server.Events;

/// <summary>
/// Wakes the queue processor when there may be new work (an accepted batch, a finished attempt) instead of letting it
/// poll. Many wakes before one wait count as one.
/// </summary>
public sealed class AsyncEventSignal
{
    private TaskCompletionSource _wake = NewSource();

    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>Returns when woken or after <paramref name="timeout"/> (on <paramref name="timeProvider"/>'s clock).</summary>
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

        // Consumed: the next wait needs a new wake. A wake that lands between here and the next wait is not lost,
        // because the processor looks at the queue before it waits again.
        Interlocked.CompareExchange(ref _wake, NewSource(), wake);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
