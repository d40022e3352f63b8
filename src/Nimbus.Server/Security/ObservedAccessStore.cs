using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nimbus.Core.Security.Policy;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Security;

/// <summary>
/// What each function attempted (action, resource, allowed and denied counts, last time), in the store's SQLite file.
/// </summary>
/// <remarks>
/// An attempt is counted in memory (one entry per function, action and resource, so repeated calls are one row's update)
/// and written in the background at most <see cref="FlushDelay"/> later, in one transaction for everything pending: a
/// function-to-function call or a secret read no longer waits for a store write of its own (issue 13). A read flushes
/// first, so what it returns counts every attempt made before it. Durability is best-effort, like the rest of telemetry:
/// attempts of the last second before a crash can be lost.
/// </remarks>
public sealed partial class ObservedAccessStore : IAsyncDisposable
{
    /// <summary>The longest an attempt waits in memory before it is written.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(1);

    private readonly SqliteStore _store;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Dictionary<(string Function, string Action, string Resource), Counts> _pending = [];
    private bool _scheduled;

    public ObservedAccessStore(SqliteStore store, TimeProvider time, ILogger<ObservedAccessStore>? logger = null)
    {
        _store = store;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timer = time.CreateTimer(_ => _ = FlushQuietlyAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts an attempt; written within <see cref="FlushDelay"/>. Never waits for the store.</summary>
    public void Record(string functionName, string action, string resource, bool allowed, DateTimeOffset at)
    {
        var lastAt = at.ToUnixTimeMilliseconds();
        lock (_lock)
        {
            var key = (functionName, action, resource);
            var counts = _pending.GetValueOrDefault(key);
            _pending[key] = new Counts(counts.Allowed + (allowed ? 1 : 0), counts.Denied + (allowed ? 0 : 1), Math.Max(counts.LastAt, lastAt));
            if (!_scheduled)
            {
                _scheduled = true;
                _timer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Writes every attempt counted so far, in one transaction.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Dictionary<(string Function, string Action, string Resource), Counts> batch;
            lock (_lock)
            {
                batch = _pending;
                _pending = [];
                _scheduled = false;
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                await _store.WriteWithAsync((c, t) =>
                {
                    foreach (var ((functionName, action, resource), counts) in batch)
                    {
                        c.Execute(
                            """
                            INSERT INTO observed_access (function_name, action, resource, allowed, denied, last_at)
                            VALUES (@functionName, @action, @resource, @allowed, @denied, @lastAt)
                            ON CONFLICT (function_name, action, resource) DO UPDATE SET
                                allowed = allowed + excluded.allowed, denied = denied + excluded.denied, last_at = max(last_at, excluded.last_at)
                            """,
                            new { functionName, action, resource, allowed = counts.Allowed, denied = counts.Denied, lastAt = counts.LastAt }, t);
                    }

                    return batch.Count;
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                Restore(batch); // counted again with the next flush
                throw;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public async Task<IReadOnlyList<ObservedAccess>> ListAsync(string functionName, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await _store.ReadWithAsync<IReadOnlyList<ObservedAccess>>(c => c.Query<(string Action, string Resource, long Allowed, long Denied, long LastAt)>(
            "SELECT action, resource, allowed, denied, last_at FROM observed_access WHERE function_name = @functionName ORDER BY action, resource",
            new { functionName })
            .Select(r => new ObservedAccess(r.Action, r.Resource, r.Allowed, r.Denied, DateTimeOffset.FromUnixTimeMilliseconds(r.LastAt)))
            .ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the timer and writes what is pending (best-effort: a store already closed loses it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        await FlushQuietlyAsync().ConfigureAwait(false);
    }

    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // Kept in memory for the next flush (or lost at shutdown): attempts are telemetry, never a caller's failure.
            Log.NotRecorded(_logger, ex.Message);
        }
    }

    private void Restore(Dictionary<(string Function, string Action, string Resource), Counts> batch)
    {
        lock (_lock)
        {
            foreach (var (key, counts) in batch)
            {
                var now = _pending.GetValueOrDefault(key);
                _pending[key] = new Counts(now.Allowed + counts.Allowed, now.Denied + counts.Denied, Math.Max(now.LastAt, counts.LastAt));
            }

            if (!_scheduled && _pending.Count > 0)
            {
                _scheduled = true;
                _timer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private readonly record struct Counts(long Allowed, long Denied, long LastAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Could not record functions' observed access (kept for the next write): {Reason}")]
        public static partial void NotRecorded(ILogger logger, string reason);
    }
}
