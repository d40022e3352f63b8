using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Events;
using Nimbus.Core.Schedules;
using Nimbus.Server.Events.Schedules;
using Nimbus.Core.Invocations;

namespace Nimbus.Server.Storage;

/// <summary>
/// Schedule state in the store's SQLite file. A tick is claimed by advancing <c>next_fire_at</c> from the value read
/// (compare and set) in the fsynced transaction that enqueues its Scheduled Event through
/// <see cref="SqliteEventQueue.Insert"/>: both commit or neither, so a restart (or a second node on the same file)
/// never delivers a tick twice or loses one that was claimed.
/// </summary>
public sealed class SqliteScheduleStore
{
    private readonly SqliteStore _store;
    private readonly string _region;

    public SqliteScheduleStore(SqliteStore store, string region)
    {
        _store = store;
        _region = region;
    }

    /// <summary>
    /// Brings the stored schedules in line with <paramref name="desired"/> (a new or changed schedule starts from
    /// <paramref name="now"/>; a removed one is forgotten) and claims every due tick.
    /// </summary>
    public Task<IReadOnlyList<FiredTick>> TickAsync(IReadOnlyList<ScheduleDefinition> desired, DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteDurablyAsync<IReadOnlyList<FiredTick>>((connection, transaction) =>
        {
            var stored = connection.Query<(string Id, string Fingerprint, long? NextFireAt, long? PausedAt)>(
                "SELECT id, fingerprint, next_fire_at, paused_at FROM schedules", transaction: transaction).ToDictionary(r => r.Id, StringComparer.Ordinal);
            var wanted = desired.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in stored.Keys.Where(id => !wanted.Contains(id)))
            {
                connection.Execute("DELETE FROM schedules WHERE id = @gone", new { gone }, transaction);
            }

            var fired = new List<FiredTick>();
            foreach (var definition in desired)
            {
                if (!stored.TryGetValue(definition.Id, out var row) || row.Fingerprint != definition.Fingerprint)
                {
                    // A paused schedule keeps no fire time; its resume clears the fingerprint, so it starts here from then.
                    var paused = row.Id is not null && row.PausedAt is not null;
                    var first = definition.Config.Enabled && !paused ? ScheduleTicks.First(definition.Expression, definition.Zone, now) : null;
                    connection.Execute(
                        """
                        INSERT INTO schedules (id, function_name, fingerprint, next_fire_at) VALUES (@id, @function, @fingerprint, @next)
                        ON CONFLICT (id) DO UPDATE SET function_name = excluded.function_name, fingerprint = excluded.fingerprint, next_fire_at = excluded.next_fire_at
                        """,
                        new { id = definition.Id, function = definition.FunctionName, fingerprint = definition.Fingerprint, next = ToUnixMs(first) }, transaction);
                    continue;
                }

                if (row.NextFireAt is not { } dueMs)
                {
                    continue;
                }

                var due = DateTimeOffset.FromUnixTimeMilliseconds(dueMs);
                var tick = ScheduleTicks.Decide(definition.Expression, definition.Zone, due, now, definition.Config.MissedPolicy);
                if (tick.Fire is null && !tick.Missed)
                {
                    continue;
                }

                var claimed = connection.Execute(
                    "UPDATE schedules SET next_fire_at = @next WHERE id = @id AND next_fire_at = @due",
                    new { next = ToUnixMs(tick.Next), id = definition.Id, due = dueMs }, transaction) == 1;
                if (!claimed)
                {
                    continue;
                }

                if (tick.Fire is not { } time)
                {
                    connection.Execute("UPDATE schedules SET last_result = 'Skipped' WHERE id = @id", new { id = definition.Id }, transaction);
                    continue;
                }

                var requestId = RequestIds.New();
                var status = SqliteEventQueue.Insert(connection, transaction, [NewEvent(definition, requestId, time)], EventRows.ToUnixMs(now))[0];
                var accepted = status == EnqueueStatus.Accepted;
                connection.Execute(
                    "UPDATE schedules SET last_fire_at = @time, last_result = @result, last_request_id = @requestId WHERE id = @id",
                    new { time = EventRows.ToUnixMs(time), result = accepted ? "Queued" : "QueueFull", requestId = accepted ? requestId : null, id = definition.Id },
                    transaction);
                fired.Add(new FiredTick(definition.Id, time, tick.Missed, accepted ? requestId : null));
            }

            return fired;
        }, cancellationToken);

    /// <summary>
    /// Every stored schedule, or one function's, with its last tick's result read from where its event is now: still
    /// in the queue (its state), dead-lettered, or gone from both (acked: succeeded).
    /// </summary>
    public Task<IReadOnlyList<ScheduleState>> ListAsync(string? functionName, CancellationToken cancellationToken) =>
        _store.ReadWithAsync<IReadOnlyList<ScheduleState>>(connection => connection.Query<(string Id, string Function, long? Next, long? Last, string? Result, string? RequestId, string? QueueState, string? DeadLetter, long? PausedAt)>(
            """
            SELECT s.id, s.function_name, s.next_fire_at, s.last_fire_at, s.last_result, s.last_request_id, e.state, d.id, s.paused_at
            FROM schedules s
            LEFT JOIN async_events e ON e.id = s.last_request_id
            LEFT JOIN dead_letters d ON d.request_id = s.last_request_id
            WHERE @function IS NULL OR s.function_name = @function
            ORDER BY s.function_name, s.id
            """,
            new { function = functionName })
            .Select(r => new ScheduleState(r.Id, r.Function, FromUnixMs(r.Next), FromUnixMs(r.Last), Result(r.Result, r.QueueState, r.DeadLetter), r.RequestId)
            {
                PausedAt = FromUnixMs(r.PausedAt),
            })
            .ToList(), cancellationToken);

    private NewAsyncEvent NewEvent(ScheduleDefinition definition, string requestId, DateTimeOffset time)
    {
        var input = definition.Config.Input is { } text ? JsonNode.Parse(text) : null;
        var arn = ScheduledEvent.RuleArn(_region, Core.Functions.FunctionArn.AccountId, definition.Id);
        var payload = ScheduledEvent.Build(requestId, Core.Functions.FunctionArn.AccountId, _region, arn, time, input).ToJsonString();
        return new NewAsyncEvent(definition.FunctionName, null, Encoding.UTF8.GetBytes(payload), requestId, null, definition.MaximumQueueDepth);
    }

    private static string? Result(string? stored, string? queueState, string? deadLetter) =>
        stored != "Queued" ? stored
        : deadLetter is not null ? nameof(AsyncEventState.DeadLettered)
        : queueState switch
        {
            null => nameof(AsyncEventState.Succeeded),
            nameof(AsyncEventState.Leased) => "Running",
            _ => queueState,
        };

    private static long? ToUnixMs(DateTimeOffset? time) => time is { } t ? EventRows.ToUnixMs(t) : null;

    private static DateTimeOffset? FromUnixMs(long? ms) => ms is { } m ? DateTimeOffset.FromUnixTimeMilliseconds(m) : null;
}
