using System.Data;
using System.Text.Json;
using Dapper;
using Nimbus.Core.Events;

namespace Nimbus.Server.Storage;

/// <summary>
/// Webhook deliveries and per-function webhook secrets as rows of the store's SQLite file. A delivery is written before
/// its event is acked, so a record that must be sent survives any restart; while one is being sent it is marked
/// Sending with its next attempt at the send's deadline, and start-up makes every Sending one due again.
/// </summary>
public sealed class SqliteWebhookStore
{
    private const string Columns = "id, function_name, request_id, url, condition, state, created_at, next_attempt_at, attempts";

    private readonly SqliteStore _store;

    public SqliteWebhookStore(SqliteStore store) => _store = store;

    public Task EnqueueAsync(string functionName, string requestId, string url, string condition, byte[] body, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => connection.Execute(
            """
            INSERT INTO webhook_deliveries (id, function_name, request_id, url, condition, body, state, created_at, next_attempt_at)
            VALUES (@id, @functionName, @requestId, @url, @condition, @body, 'Pending', @now, @now)
            """,
            new { id = Guid.NewGuid().ToString(), functionName, requestId, url, condition, body, now = now.ToUnixTimeMilliseconds() }, transaction),
            cancellationToken);

    /// <summary>Marks at most <paramref name="limit"/> due deliveries Sending until <paramref name="sendingUntil"/> and returns them with their bodies.</summary>
    public Task<IReadOnlyList<(WebhookDelivery Delivery, byte[] Body)>> TakeDueAsync(DateTimeOffset now, DateTimeOffset sendingUntil, int limit,
        CancellationToken cancellationToken) =>
        _store.WriteWithAsync<IReadOnlyList<(WebhookDelivery, byte[])>>((connection, transaction) =>
        {
            var due = new List<(WebhookDelivery, byte[])>();
            using (var reader = connection.ExecuteReader(
                $"SELECT {Columns}, body FROM webhook_deliveries WHERE state IN ('Pending', 'Sending') AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit",
                new { now = now.ToUnixTimeMilliseconds(), limit }, transaction))
            {
                while (reader.Read())
                {
                    due.Add((Read(reader), (byte[])reader.GetValue(9)));
                }
            }

            foreach (var (delivery, _) in due)
            {
                connection.Execute("UPDATE webhook_deliveries SET state = 'Sending', next_attempt_at = @until WHERE id = @id",
                    new { id = delivery.Id, until = sendingUntil.ToUnixTimeMilliseconds() }, transaction);
            }

            return due;
        }, cancellationToken);

    /// <summary>Appends an attempt and moves the delivery to <paramref name="state"/> (Pending with its next time, Delivered or Failed).</summary>
    public Task RecordAttemptAsync(WebhookDelivery delivery, WebhookAttempt attempt, string state, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var attempts = delivery.Attempts.Append(attempt).ToList();
        return _store.WriteWithAsync((connection, transaction) => connection.Execute(
            "UPDATE webhook_deliveries SET state = @state, next_attempt_at = @next, attempts = @attempts WHERE id = @id",
            new
            {
                id = delivery.Id, state, next = nextAttemptAt.ToUnixTimeMilliseconds(),
                attempts = JsonSerializer.Serialize(attempts, EventJsonContext.Default.ListWebhookAttempt),
            }, transaction), cancellationToken);
    }

    /// <summary>At start-up: deliveries a previous process was sending are due again at once.</summary>
    public Task<int> ReleaseSendingAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => connection.Execute(
            "UPDATE webhook_deliveries SET state = 'Pending', next_attempt_at = @now WHERE state = 'Sending'",
            new { now = now.ToUnixTimeMilliseconds() }, transaction), cancellationToken);

    /// <summary>When the next Pending delivery is due, or null.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection => connection.ExecuteScalar<long?>(
            "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE state IN ('Pending', 'Sending')") is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null, cancellationToken);

    /// <summary>A function's deliveries, newest first.</summary>
    public Task<IReadOnlyList<WebhookDelivery>> ListAsync(string functionName, int limit, CancellationToken cancellationToken) =>
        _store.ReadWithAsync<IReadOnlyList<WebhookDelivery>>(connection =>
        {
            var list = new List<WebhookDelivery>();
            using var reader = connection.ExecuteReader(
                $"SELECT {Columns} FROM webhook_deliveries WHERE function_name = @functionName ORDER BY created_at DESC, id LIMIT @limit",
                new { functionName, limit });
            while (reader.Read())
            {
                list.Add(Read(reader));
            }

            return list;
        }, cancellationToken);

    /// <summary>The function's webhook secret, created (random, 32 bytes) the first time it is asked for.</summary>
    public Task<string> GetOrCreateSecretAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) =>
        {
            connection.Execute("INSERT OR IGNORE INTO webhook_secrets (function_name, secret, created_at) VALUES (@functionName, @secret, @now)",
                new { functionName, secret = WebhookSignature.NewSecret(), now = now.ToUnixTimeMilliseconds() }, transaction);
            return connection.ExecuteScalar<string>("SELECT secret FROM webhook_secrets WHERE function_name = @functionName", new { functionName }, transaction)!;
        }, cancellationToken);

    /// <summary>Replaces the function's secret with a new random one; deliveries from now on are signed with it.</summary>
    public Task<string> RotateSecretAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) =>
        {
            var secret = WebhookSignature.NewSecret();
            connection.Execute("INSERT OR REPLACE INTO webhook_secrets (function_name, secret, created_at) VALUES (@functionName, @secret, @now)",
                new { functionName, secret, now = now.ToUnixTimeMilliseconds() }, transaction);
            return secret;
        }, cancellationToken);

    private static WebhookDelivery Read(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.GetString(3),
        row.GetString(4),
        row.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(6)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)),
        JsonSerializer.Deserialize(row.GetString(8), EventJsonContext.Default.ListWebhookAttempt) ?? []);
}
