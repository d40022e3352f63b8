namespace Nimbus.Server.Events;

/// <summary>
/// Group commit without a background loop: concurrent callers hand over one item each; the first caller that finds no
/// write in progress writes everything pending in one call, then whatever arrived meanwhile, until none is left. A lone
/// caller is written at once (no added wait); under load, items that arrive while one batch commits share the next.
/// </summary>
/// <remarks>
/// Used for the processor's acks: one transaction per ack wrote each touched page of the queue's table and indexes into
/// the WAL per event (docs/design/async-queue.md).
/// </remarks>
public sealed class WriteCombiner<TItem, TResult>
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    private readonly Lock _lock = new();
    private List<Pending> _pending = [];
    private bool _writing;

    /// <param name="write">Writes a batch and returns one result per item, in order; a throw fails the whole batch.</param>
    public WriteCombiner(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write) => _write = write;

    /// <summary>Completes with the item's result once the batch holding it is written.</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_lock)
        {
            _pending.Add(pending);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            _ = DrainAsync();
        }

        return pending.Completion.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _pending;
                _pending = [];
            }

            try
            {
                var results = await _write(batch.ConvertAll(p => p.Item)).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion);
}
