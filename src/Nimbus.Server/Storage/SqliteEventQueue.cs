using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Events;

namespace Nimbus.Server.Storage;

/// <summary>
/// The durable async event queue and the dead-letter queue, as rows in the store's SQLite file. Shares the store's
/// single writer (and its lock), so queue writes never meet <c>SQLITE_BUSY</c> from the platform's other writers.
/// </summary>
/// <remarks>
/// <para>
/// A row's <c>next_visible_at</c> is when it is due: the acceptance or retry time for Queued/Retrying rows, the lease
/// expiry for Leased rows. So "due" is one indexed range, whether the event is new, waiting for a retry, or held by a
/// processor that crashed.
/// </para>
/// <para>
/// Acceptance is written with <c>synchronous = FULL</c> (fsynced) because 202 promises the event survives anything;
/// acks, reschedules and dead letters use the store's normal level: losing one to a power cut runs an attempt again,
/// which at-least-once allows.
/// </para>
/// </remarks>
public sealed class SqliteEventQueue
{
    private readonly SqliteStore _store;
    private readonly TimeProvider _timeProvider;

    public SqliteEventQueue(SqliteStore store, TimeProvider timeProvider)
    {
        _store = store;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Commits the batch in one fsynced transaction. An event whose function already has its maximum queue depth
    /// waiting (counting the batch's earlier events) is refused with <see cref="EnqueueStatus.QueueFull"/>. The depth is
    /// read from <c>async_event_depths</c>, which triggers keep equal to the function's row count in every transaction.
    /// </summary>
    public Task<IReadOnlyList<EnqueueStatus>> EnqueueAsync(IReadOnlyList<NewAsyncEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<EnqueueStatus>>([]);
        }

        return _store.WriteDurablyAsync((connection, transaction) => Insert(connection, transaction, events, EventRows.ToUnixMs(_timeProvider.GetUtcNow())), cancellationToken);
    }

    /// <summary>
    /// The enqueue itself, inside the caller's transaction: schedules claim a tick and enqueue its event in one commit
    /// through this same path (and bound).
    /// </summary>
    internal static IReadOnlyList<EnqueueStatus> Insert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<NewAsyncEvent> events, long now)
    {
        var depths = new Dictionary<string, long>(StringComparer.Ordinal);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            """
            INSERT INTO async_events (id, function_name, qualifier, payload, request_id, traceparent, enqueued_at, next_visible_at, state, key_header, key_value)
            VALUES ($id, $function, $qualifier, $payload, $id, $traceparent, $now, $now, 'Queued', $keyHeader, $keyValue)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var function = insert.Parameters.Add("$function", SqliteType.Text);
        var qualifier = insert.Parameters.Add("$qualifier", SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
        var traceparent = insert.Parameters.Add("$traceparent", SqliteType.Text);
        var keyHeader = insert.Parameters.Add("$keyHeader", SqliteType.Text);
        var keyValue = insert.Parameters.Add("$keyValue", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", now);
        insert.Prepare();

        var statuses = new EnqueueStatus[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var item = events[i];
            if (!depths.TryGetValue(item.FunctionName, out var depth))
            {
                depth = connection.ExecuteScalar<long?>("SELECT depth FROM async_event_depths WHERE function_name = @name",
                    new { name = item.FunctionName }, transaction) ?? 0;
            }

            if (depth >= item.MaximumQueueDepth)
            {
                statuses[i] = EnqueueStatus.QueueFull;
                depths[item.FunctionName] = depth;
                continue;
            }

            id.Value = item.RequestId;
            function.Value = item.FunctionName;
            qualifier.Value = (object?)item.Qualifier ?? DBNull.Value;
            payload.Value = item.Payload.ToArray();
            traceparent.Value = (object?)item.TraceParent ?? DBNull.Value;
            keyHeader.Value = (object?)item.HeaderKey?.Name ?? DBNull.Value;
            keyValue.Value = (object?)item.HeaderKey?.Value ?? DBNull.Value;
            insert.ExecuteNonQuery();
            depths[item.FunctionName] = depth + 1;
            statuses[i] = EnqueueStatus.Accepted;
        }

        return statuses;
    }

    /// <summary>
    /// Leases at most <paramref name="limit"/> due events (oldest due first) for <paramref name="owner"/>; each lease lasts
    /// <paramref name="visibilityTimeout"/> of its function, after which anyone may take the event again.
    /// </summary>
    public Task<IReadOnlyList<AsyncEvent>> LeaseAsync(
        string owner, int limit, Func<string, TimeSpan> visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _store.WriteWithAsync<IReadOnlyList<AsyncEvent>>((connection, transaction) =>
        {
            var now = _timeProvider.GetUtcNow();
            var due = new List<AsyncEvent>();
            using (var reader = connection.ExecuteReader(
                $"SELECT {EventRows.EventColumns} FROM async_events WHERE next_visible_at <= @now ORDER BY next_visible_at, enqueued_at LIMIT @limit",
                new { now = EventRows.ToUnixMs(now), limit }, transaction))
            {
                while (reader.Read())
                {
                    due.Add(EventRows.Event(reader));
                }
            }

            var leased = new List<AsyncEvent>(due.Count);
            foreach (var item in due)
            {
                var state = AsyncEventTransitions.Next(item.State, AsyncEventTrigger.Lease);
                var expires = now + visibilityTimeout(item.FunctionName);
                connection.Execute(
                    "UPDATE async_events SET state = @state, lease_owner = @owner, lease_expires_at = @expires, next_visible_at = @expires WHERE id = @id",
                    new { state = state.ToString(), owner, expires = EventRows.ToUnixMs(expires), id = item.Id }, transaction);
                leased.Add(item with { State = state, LeaseOwner = owner, LeaseExpiresAt = expires, NextVisibleAt = expires });
            }

            return leased;
        }, cancellationToken);
    }

    /// <summary>Acks a leased event (deletes it). False when <paramref name="owner"/> no longer holds it.</summary>
    public async Task<bool> CompleteAsync(string id, string owner, CancellationToken cancellationToken) =>
        (await CompleteManyAsync([(id, owner)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Acks several leased events in one transaction (one commit for the batch); one result per event, in order, false
    /// where its owner no longer holds it.
    /// </summary>
    public Task<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<(string Id, string Owner)> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return _store.WriteWithAsync<IReadOnlyList<bool>>((connection, transaction) =>
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM async_events WHERE id = $id AND lease_owner = $owner AND state = 'Leased'";
            var id = delete.Parameters.Add("$id", SqliteType.Text);
            var owner = delete.Parameters.Add("$owner", SqliteType.Text);
            delete.Prepare();
            var results = new bool[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                id.Value = events[i].Id;
                owner.Value = events[i].Owner;
                results[i] = delete.ExecuteNonQuery() > 0;
            }

            return results;
        }, cancellationToken);
    }

    /// <summary>
    /// Ends a lease with a retry or a postponement: the event is due again at <paramref name="visibleAt"/> with its new
    /// counters and history. False when <paramref name="owner"/> no longer holds it.
    /// </summary>
    public Task<bool> RescheduleAsync(
        string id, string owner, DateTimeOffset visibleAt, int failedAttempts, int postponements, IReadOnlyList<AsyncAttempt> history,
        CancellationToken cancellationToken)
    {
        var state = AsyncEventTransitions.Next(AsyncEventState.Leased, AsyncEventTrigger.ScheduleRetry).ToString();
        return _store.WriteWithAsync((connection, transaction) => connection.Execute(
            """
            UPDATE async_events SET state = @state, lease_owner = NULL, lease_expires_at = NULL, next_visible_at = @visibleAt,
                failed_attempts = @failedAttempts, postponements = @postponements, history = @history
            WHERE id = @id AND lease_owner = @owner AND state = 'Leased'
            """,
            new
            {
                id, owner, state, visibleAt = EventRows.ToUnixMs(visibleAt), failedAttempts, postponements,
                history = EventRows.WriteHistory(history),
            }, transaction) > 0, cancellationToken);
    }

    /// <summary>
    /// Gives leases back: the events are due now, the interrupted attempt not counted. With an owner, only that owner's
    /// leases; without one, every lease (at startup of the single node that uses this file, any lease is a dead one's).
    /// </summary>
    public Task<int> ReleaseLeasesAsync(string? owner, CancellationToken cancellationToken)
    {
        var state = AsyncEventTransitions.Next(AsyncEventState.Leased, AsyncEventTrigger.Release).ToString();
        return _store.WriteWithAsync((connection, transaction) => connection.Execute(
            """
            UPDATE async_events SET state = @state, lease_owner = NULL, lease_expires_at = NULL, next_visible_at = @now
            WHERE state = 'Leased' AND (@owner IS NULL OR lease_owner = @owner)
            """,
            new { state, owner, now = EventRows.ToUnixMs(_timeProvider.GetUtcNow()) }, transaction), cancellationToken);
    }

    /// <summary>Gives one lease back (due now, attempt not counted).</summary>
    public Task<bool> ReleaseAsync(string id, string owner, CancellationToken cancellationToken)
    {
        var state = AsyncEventTransitions.Next(AsyncEventState.Leased, AsyncEventTrigger.Release).ToString();
        return _store.WriteWithAsync((connection, transaction) => connection.Execute(
            """
            UPDATE async_events SET state = @state, lease_owner = NULL, lease_expires_at = NULL, next_visible_at = @now
            WHERE id = @id AND lease_owner = @owner AND state = 'Leased'
            """,
            new { id, owner, state, now = EventRows.ToUnixMs(_timeProvider.GetUtcNow()) }, transaction) > 0, cancellationToken);
    }

    /// <summary>
    /// Moves a leased event to the dead-letter queue with its whole history, in one transaction. False when
    /// <paramref name="owner"/> no longer holds it (then nothing is written).
    /// </summary>
    public Task<bool> DeadLetterAsync(
        AsyncEvent item, string owner, string condition, string? errorType, string? errorMessage, IReadOnlyList<AsyncAttempt> history,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        AsyncEventTransitions.Next(AsyncEventState.Leased, AsyncEventTrigger.DeadLetter);
        return _store.WriteWithAsync((connection, transaction) =>
        {
            if (connection.Execute("DELETE FROM async_events WHERE id = @id AND lease_owner = @owner AND state = 'Leased'",
                    new { id = item.Id, owner }, transaction) == 0)
            {
                return false;
            }

            connection.Execute(
                $"""
                INSERT INTO dead_letters ({EventRows.DeadLetterColumns}, key_header, key_value)
                VALUES (@Id, @FunctionName, @Qualifier, @payload, @RequestId, @TraceParent, @enqueuedAt, @now, @condition, @errorType,
                        @errorMessage, @history, @Redrives, @keyHeader, @keyValue)
                ON CONFLICT (id) DO NOTHING
                """,
                new
                {
                    item.Id, item.FunctionName, item.Qualifier, payload = item.Payload.ToArray(), item.RequestId, item.TraceParent,
                    enqueuedAt = EventRows.ToUnixMs(item.EnqueuedAt), now = EventRows.ToUnixMs(_timeProvider.GetUtcNow()), condition,
                    errorType, errorMessage = AsyncAttempt.Truncate(errorMessage), history = EventRows.WriteHistory(history), item.Redrives,
                    keyHeader = item.HeaderKey?.Name, keyValue = item.HeaderKey?.Value,
                }, transaction);
            return true;
        }, cancellationToken);
    }

    /// <summary>When the next event becomes due (any state), or null when the queue is empty.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection =>
        {
            var next = connection.ExecuteScalar<long?>("SELECT min(next_visible_at) FROM async_events");
            return next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <summary>Per function with events in the queue: how many (any state) and when the oldest was accepted.</summary>
    public Task<IReadOnlyList<(string Function, long Depth, DateTimeOffset OldestEnqueuedAt)>> QueueStatsAsync(CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection => (IReadOnlyList<(string, long, DateTimeOffset)>)connection
            .Query<(string Function, long Depth, long Oldest)>("SELECT function_name, count(*), min(enqueued_at) FROM async_events GROUP BY function_name")
            .Select(r => (r.Function, r.Depth, DateTimeOffset.FromUnixTimeMilliseconds(r.Oldest)))
            .ToList(), cancellationToken);

    /// <summary>Events of the function still in the queue (queued, leased or waiting for a retry).</summary>
    public Task<long> DepthAsync(string functionName, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection => connection.ExecuteScalar<long>(
            "SELECT coalesce((SELECT depth FROM async_event_depths WHERE function_name = @functionName), 0)", new { functionName }), cancellationToken);

    public Task<AsyncEvent?> GetEventAsync(string id, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection =>
        {
            using var reader = connection.ExecuteReader($"SELECT {EventRows.EventColumns} FROM async_events WHERE id = @id", new { id });
            return reader.Read() ? EventRows.Event(reader) : null;
        }, cancellationToken);

    /// <summary>The function's dead letters, newest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string functionName, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _store.ReadWithAsync<IReadOnlyList<DeadLetter>>(connection =>
        {
            using var reader = connection.ExecuteReader(
                $"SELECT {EventRows.DeadLetterColumns} FROM dead_letters WHERE function_name = @functionName ORDER BY dead_lettered_at DESC, id DESC LIMIT @limit",
                new { functionName, limit });
            var list = new List<DeadLetter>();
            while (reader.Read())
            {
                list.Add(EventRows.DeadLetter(reader));
            }

            return list;
        }, cancellationToken);
    }

    public Task<DeadLetter?> GetDeadLetterAsync(string functionName, string id, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection =>
        {
            using var reader = connection.ExecuteReader(
                $"SELECT {EventRows.DeadLetterColumns} FROM dead_letters WHERE function_name = @functionName AND id = @id", new { functionName, id });
            return reader.Read() ? EventRows.DeadLetter(reader) : null;
        }, cancellationToken);

    /// <summary>
    /// Puts dead letters back on the queue, due now, with fresh attempts and a fresh age; each keeps its request id
    /// (the lineage) and counts the redrive. <paramref name="id"/> null redrives all of the function's. Returns how many.
    /// </summary>
    public Task<int> RedriveAsync(string functionName, string? id, CancellationToken cancellationToken)
    {
        var state = AsyncEventTransitions.Next(AsyncEventState.DeadLettered, AsyncEventTrigger.Redrive).ToString();
        return _store.WriteDurablyAsync((connection, transaction) =>
        {
            var now = EventRows.ToUnixMs(_timeProvider.GetUtcNow());
            var ids = connection.Query<string>(
                "SELECT id FROM dead_letters WHERE function_name = @functionName AND (@id IS NULL OR id = @id)",
                new { functionName, id }, transaction).ToList();
            foreach (var deadId in ids)
            {
                connection.Execute(
                    """
                    INSERT INTO async_events (id, function_name, qualifier, payload, request_id, traceparent, enqueued_at, next_visible_at, state, redrives,
                                              key_header, key_value)
                    SELECT @newId, function_name, qualifier, payload, request_id, traceparent, @now, @now, @state, redrives + 1, key_header, key_value
                    FROM dead_letters WHERE id = @deadId
                    """,
                    new { newId = Guid.NewGuid().ToString(), now, state, deadId }, transaction);
                connection.Execute("DELETE FROM dead_letters WHERE id = @deadId", new { deadId }, transaction);
            }

            return ids.Count;
        }, cancellationToken);
    }

    /// <summary>Deletes the function's dead letters; returns how many.</summary>
    public Task<int> PurgeDeadLettersAsync(string functionName, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) =>
            connection.Execute("DELETE FROM dead_letters WHERE function_name = @functionName", new { functionName }, transaction),
            cancellationToken);
}
