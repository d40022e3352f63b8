namespace Nimbus.Functions.Runtime;

/// <summary>
/// Blocks a runtime loop's own thread until its handler's result is ready, without spinning: a handler that finished
/// synchronously costs nothing, one that awaits wakes the loop from its last continuation. One per loop, reused for
/// every invocation (a loop waits for one result at a time).
/// </summary>
internal sealed class ResultWaiter
{
    private readonly ManualResetEventSlim _ready = new(initialState: false, spinCount: 0);
    private readonly Action _signal;

    public ResultWaiter() => _signal = _ready.Set;

    /// <summary>The handler's result, or its exception as thrown (not wrapped).</summary>
    public T Wait<T>(ValueTask<T> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return pending.Result;
        }

        var task = pending.AsTask();
        if (!task.IsCompleted)
        {
            _ready.Reset();
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signal);
            _ready.Wait();
        }

        return task.GetAwaiter().GetResult();
    }
}
