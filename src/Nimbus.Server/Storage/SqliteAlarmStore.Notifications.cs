using Dapper;
using Nimbus.Core.Api;

namespace Nimbus.Server.Storage;

/// <summary>The notification outbox: one row per notification per target, written before any attempt, so a restart
/// resumes delivery; each attempt's outcome is kept on the row (visible as <see cref="NotificationDelivery"/>).</summary>
public sealed partial class SqliteAlarmStore
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    private const string NotificationSchema =
        """
        CREATE TABLE IF NOT EXISTS notifications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            alarm TEXT NOT NULL,
            target TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER,
            delivered_at INTEGER,
            last_status_code INTEGER,
            last_error TEXT
        );
        CREATE INDEX IF NOT EXISTS notifications_due ON notifications (status, next_attempt_at);
        CREATE INDEX IF NOT EXISTS notifications_by_alarm ON notifications (alarm, id);
        """;

    private const string NotificationColumns =
        "id, alarm, target, event, payload, status, attempts, created_at, next_attempt_at, delivered_at, last_status_code, last_error";

    /// <summary>Queues one notification per target (each with its channel's body), due at once; returns their ids.</summary>
    public async Task<IReadOnlyList<long>> EnqueueNotificationsAsync(
        string alarm, string @event, IReadOnlyList<(string Target, string Payload)> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<long>();
        foreach (var (target, payload) in items)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO notifications (alarm, target, event, payload, status, attempts, created_at, next_attempt_at)
                VALUES ($alarm, $target, $event, $payload, 'pending', 0, $now, $now) RETURNING id
                """,
                new { alarm, target, @event, payload, now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ids;
    }

    /// <summary>Pending notifications whose next attempt is due, oldest first.</summary>
    public async Task<IReadOnlyList<(NotificationDelivery Delivery, string Payload)>> ListDueNotificationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NotificationRow>(new CommandDefinition(
            $"SELECT {NotificationColumns} FROM notifications WHERE status = 'pending' AND next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $limit",
            new { now = now.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => (ToDelivery(r), r.payload)).ToList();
    }

    /// <summary>Records one attempt: delivered, retried at <paramref name="nextAttemptAt"/>, or failed for good (both null).</summary>
    public async Task RecordNotificationAttemptAsync(
        long id, bool delivered, DateTimeOffset? nextAttemptAt, int? statusCode, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET attempts = attempts + 1, status = $status, next_attempt_at = $next, last_status_code = $statusCode,
                last_error = $error, delivered_at = CASE WHEN $delivered THEN $now ELSE delivered_at END
            WHERE id = $id
            """,
            new
            {
                id,
                status = delivered ? Delivered : nextAttemptAt is null ? Failed : Pending,
                next = delivered ? null : nextAttemptAt?.ToUnixTimeMilliseconds(),
                statusCode,
                error,
                delivered,
                now = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The alarm's notifications, newest first.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>> ListNotificationsAsync(string alarm, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NotificationRow>(new CommandDefinition(
            $"SELECT {NotificationColumns} FROM notifications WHERE alarm = $alarm ORDER BY id DESC LIMIT $limit",
            new { alarm, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToDelivery).ToList();
    }

    private static NotificationDelivery ToDelivery(NotificationRow r) => new(
        r.id, r.alarm, r.target, r.@event, r.status, (int)r.attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.created_at),
        r.next_attempt_at is { } next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null,
        r.delivered_at is { } delivered ? DateTimeOffset.FromUnixTimeMilliseconds(delivered) : null,
        r.last_status_code is { } code ? (int)code : null, r.last_error);

#pragma warning disable IDE1006
    private sealed record NotificationRow(
        long id, string alarm, string target, string @event, string payload, string status, long attempts, long created_at,
        long? next_attempt_at, long? delivered_at, long? last_status_code, string? last_error);
#pragma warning restore IDE1006
}
