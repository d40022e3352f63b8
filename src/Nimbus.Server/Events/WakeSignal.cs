namespace Nimbus.Server.Events;

/// <summary>
/// Wakes a background loop when there may be new work instead of letting it wait out its idle interval. Many wakes
/// before one wait count as one. A wake that lands after a wait consumed the previous one is not lost, provided the
/// loop looks for work before it waits again (both loops do).
/// </summary>
public abstract class WakeSignal
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

        // Consumed: the next wait needs a new wake.
        Interlocked.CompareExchange(ref _wake, NewSource(), wake);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
