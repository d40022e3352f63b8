using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Queues;
using Nimbus.Server.Events.Queues;

namespace Nimbus.Server.Storage;

/// <summary>
/// Named queues, their messages and their dead-letter queues in the store's SQLite file, on the store's single writer.
/// The rules (visibility, receive count, retention, redrive) are <see cref="QueueRules"/>'; this class only applies
/// them in transactions. Sends are fsynced (an accepted message survives anything); receives and deletes use the
/// normal level: losing one to a power cut delivers a message again, which at-least-once allows.
/// </summary>
public sealed class SqliteQueueStore
{
    private const string MessageColumns =
        "id, queue_name, body, attributes, sent_at, visible_at, receive_count, first_received_at, receipt_handle, traceparent";

    /// <summary>Visible rows read per receive to find a batch among messages due for the dead-letter queue.</summary>
    private const int ScanLimit = 100;

    private readonly SqliteStore _store;

    public SqliteQueueStore(SqliteStore store) => _store = store;

    /// <summary>Creates or replaces a queue's configuration; true when it was created.</summary>
    public Task<bool> PutQueueAsync(QueueConfig config, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = JsonSerializer.Serialize(config, QueueJsonContext.Default.QueueConfig);
        return _store.WriteWithAsync((connection, transaction) =>
        {
            var existed = connection.ExecuteScalar<long>("SELECT count(*) FROM queues WHERE name = @name", new { name = config.Name }, transaction) > 0;
            connection.Execute(
                """
                INSERT INTO queues (name, config, created_at, updated_at) VALUES (@name, @json, @now, @now)
                ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at
                """,
                new { name = config.Name, json, now = EventRows.ToUnixMs(now) }, transaction);
            return !existed;
        }, cancellationToken);
    }

    public Task<QueueConfig?> GetQueueAsync(string name, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection =>
            connection.ExecuteScalar<string?>("SELECT config FROM queues WHERE name = @name", new { name }) is { } json ? ReadConfig(json) : null,
            cancellationToken);

    public Task<IReadOnlyList<QueueConfig>> ListQueuesAsync(CancellationToken cancellationToken) =>
        _store.ReadWithAsync<IReadOnlyList<QueueConfig>>(connection =>
            connection.Query<string>("SELECT config FROM queues ORDER BY name").Select(ReadConfig).ToList(), cancellationToken);

    /// <summary>Deletes a queue with its messages and dead letters; false when there was none.</summary>
    public Task<bool> DeleteQueueAsync(string name, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) =>
        {
            connection.Execute("DELETE FROM queue_messages WHERE queue_name = @name", new { name }, transaction);
            return connection.Execute("DELETE FROM queues WHERE name = @name", new { name }, transaction) > 0;
        }, cancellationToken);

    /// <summary>
    /// Commits the messages in one fsynced transaction. A message that would take the queue past its maximum depth
    /// (counting the batch's earlier messages) is refused with <see cref="SendStatus.QueueFull"/>.
    /// </summary>
    public Task<IReadOnlyList<SendStatus>> SendAsync(string queueName, IReadOnlyList<NewQueueMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _store.WriteDurablyAsync<IReadOnlyList<SendStatus>>(
            (connection, transaction) => Insert(connection, transaction, queueName, messages, now), cancellationToken);
    }

    /// <summary>The send itself inside the caller's transaction.</summary>
    internal static IReadOnlyList<SendStatus> Insert(
        SqliteConnection connection, SqliteTransaction transaction, string queueName, IReadOnlyList<NewQueueMessage> messages, DateTimeOffset now)
    {
        if (connection.ExecuteScalar<string?>("SELECT config FROM queues WHERE name = @queueName", new { queueName }, transaction) is not { } json)
        {
            return [.. messages.Select(_ => SendStatus.QueueNotFound)];
        }

        var queue = ReadConfig(json);
        var depth = connection.ExecuteScalar<long>(
            "SELECT count(*) FROM queue_messages WHERE queue_name = @queueName AND dead_lettered_at IS NULL", new { queueName }, transaction);
        var statuses = new SendStatus[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (depth >= queue.MaximumDepth)
            {
                statuses[i] = SendStatus.QueueFull;
                continue;
            }

            var message = messages[i];
            connection.Execute(
                """
                INSERT INTO queue_messages (id, queue_name, body, attributes, traceparent, sent_at, visible_at)
                VALUES (@id, @queueName, @body, @attributes, @traceParent, @sentAt, @visibleAt)
                """,
                new
                {
                    id = message.MessageId, queueName, body = message.Body, attributes = WriteAttributes(message.Attributes), traceParent = message.TraceParent,
                    sentAt = EventRows.ToUnixMs(now), visibleAt = EventRows.ToUnixMs(QueueRules.FirstVisibleAt(queue, now, message.DelaySeconds)),
                }, transaction);
            depth++;
            statuses[i] = SendStatus.Accepted;
        }

        return statuses;
    }

    /// <summary>
    /// One receive at <paramref name="now"/>: expires what outlived retention, moves messages received
    /// <c>maxReceiveCount</c> times to the dead-letter queue, and, when a full batch is there or the oldest visible message
    /// has waited the batching window, hides up to <paramref name="batchSize"/> messages for <paramref name="visibilityTimeout"/>.
    /// </summary>
    public Task<ReceivedBatch> ReceiveAsync(
        string queueName, int batchSize, TimeSpan batchingWindow, TimeSpan visibilityTimeout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return _store.WriteWithAsync((connection, transaction) =>
        {
            if (connection.ExecuteScalar<string?>("SELECT config FROM queues WHERE name = @queueName", new { queueName }, transaction) is not { } json)
            {
                return ReceivedBatch.Empty;
            }

            var queue = ReadConfig(json);
            var nowMs = EventRows.ToUnixMs(now);
            var retentionStart = EventRows.ToUnixMs(now - TimeSpan.FromSeconds(queue.RetentionSeconds));
            connection.Execute(
                "DELETE FROM queue_messages WHERE queue_name = @queueName AND coalesce(dead_lettered_at, sent_at) <= @retentionStart",
                new { queueName, retentionStart }, transaction);

            var visible = ReadMessages(connection, transaction,
                $"SELECT {MessageColumns} FROM queue_messages WHERE queue_name = @queueName AND dead_lettered_at IS NULL AND visible_at <= @now ORDER BY visible_at, sent_at LIMIT @limit",
                new { queueName, now = nowMs, limit = ScanLimit });
            var deliverable = new List<QueueMessage>();
            var deadLettered = 0;
            foreach (var message in visible)
            {
                switch (QueueRules.Decide(queue, message.SentAt, message.ReceiveCount, now))
                {
                    case ReceiveDecision.DeadLetter:
                        connection.Execute("UPDATE queue_messages SET dead_lettered_at = @now, receipt_handle = NULL WHERE id = @id",
                            new { now = nowMs, id = message.MessageId }, transaction);
                        deadLettered++;
                        break;
                    case ReceiveDecision.Expire:
                        connection.Execute("DELETE FROM queue_messages WHERE id = @id", new { id = message.MessageId }, transaction);
                        break;
                    default:
                        deliverable.Add(message);
                        break;
                }
            }

            if (deliverable.Count == 0)
            {
                return new ReceivedBatch([], null, deadLettered);
            }

            var oldestVisibleSince = deliverable[0].VisibleAt;
            if (!BatchingWindow.ShouldInvoke(deliverable.Count, batchSize, batchingWindow, oldestVisibleSince, now))
            {
                return new ReceivedBatch([], BatchingWindow.DueAt(batchingWindow, oldestVisibleSince), deadLettered);
            }

            var received = new List<QueueMessage>(Math.Min(batchSize, deliverable.Count));
            foreach (var message in deliverable.Take(batchSize))
            {
                var next = QueueRules.Receive(message, now, visibilityTimeout, Guid.NewGuid().ToString("N"));
                connection.Execute(
                    """
                    UPDATE queue_messages SET visible_at = @visibleAt, receive_count = @receiveCount, first_received_at = @firstReceivedAt, receipt_handle = @receiptHandle
                    WHERE id = @id
                    """,
                    new
                    {
                        visibleAt = EventRows.ToUnixMs(next.VisibleAt), receiveCount = next.ReceiveCount,
                        firstReceivedAt = EventRows.ToUnixMs(next.FirstReceivedAt!.Value), receiptHandle = next.ReceiptHandle, id = next.MessageId,
                    }, transaction);
                received.Add(next);
            }

            return new ReceivedBatch(received, null, deadLettered);
        }, cancellationToken);
    }

    /// <summary>Deletes received messages whose receipt handles still hold (a receive after a lost lease gets a new one); returns how many.</summary>
    public Task<int> DeleteAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Count == 0
            ? Task.FromResult(0)
            : _store.WriteWithAsync((connection, transaction) => messages.Sum(m => connection.Execute(
                "DELETE FROM queue_messages WHERE id = @MessageId AND receipt_handle = @ReceiptHandle AND dead_lettered_at IS NULL", m, transaction)),
                cancellationToken);
    }

    /// <summary>Makes received messages visible again at <paramref name="visibleAt"/> (a throttled batch's back-off, or a release at shutdown).</summary>
    public Task<int> ChangeVisibilityAsync(IReadOnlyList<QueueMessage> messages, DateTimeOffset visibleAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var at = EventRows.ToUnixMs(visibleAt);
        return messages.Count == 0
            ? Task.FromResult(0)
            : _store.WriteWithAsync((connection, transaction) => messages.Sum(m => connection.Execute(
                "UPDATE queue_messages SET visible_at = @at WHERE id = @id AND receipt_handle = @handle AND dead_lettered_at IS NULL",
                new { at, id = m.MessageId, handle = m.ReceiptHandle }, transaction)),
                cancellationToken);
    }

    /// <summary>When the queue's next message becomes visible (now or later); null when it holds none outside its DLQ.</summary>
    public Task<DateTimeOffset?> NextVisibleAsync(string queueName, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection => connection.ExecuteScalar<long?>(
            "SELECT min(visible_at) FROM queue_messages WHERE queue_name = @queueName AND dead_lettered_at IS NULL", new { queueName }) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null, cancellationToken);

    public Task<QueueStats> StatsAsync(string queueName, DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection =>
        {
            var row = connection.QuerySingle<(long Depth, long Visible, long InFlight, long Delayed, long? Oldest, long Dead)>(
                """
                SELECT
                    coalesce(sum(dead_lettered_at IS NULL), 0),
                    coalesce(sum(dead_lettered_at IS NULL AND visible_at <= @now), 0),
                    coalesce(sum(dead_lettered_at IS NULL AND visible_at > @now AND receive_count > 0), 0),
                    coalesce(sum(dead_lettered_at IS NULL AND visible_at > @now AND receive_count = 0), 0),
                    min(CASE WHEN dead_lettered_at IS NULL THEN sent_at END),
                    coalesce(sum(dead_lettered_at IS NOT NULL), 0)
                FROM queue_messages WHERE queue_name = @queueName
                """,
                new { queueName, now = EventRows.ToUnixMs(now) });
            return new QueueStats(row.Depth, row.Visible, row.InFlight, row.Delayed,
                row.Oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, row.Dead);
        }, cancellationToken);

    /// <summary>The queue's dead-letter queue, oldest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<QueueMessage>> ListDeadLettersAsync(string queueName, int limit, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection => ReadMessages(connection, null,
            $"SELECT {MessageColumns} FROM queue_messages WHERE queue_name = @queueName AND dead_lettered_at IS NOT NULL ORDER BY dead_lettered_at, id LIMIT @limit",
            new { queueName, limit }), cancellationToken);

    /// <summary>Every message of the queue (not dead-lettered), for tests and diagnostics.</summary>
    public Task<IReadOnlyList<QueueMessage>> ListMessagesAsync(string queueName, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection => ReadMessages(connection, null,
            $"SELECT {MessageColumns} FROM queue_messages WHERE queue_name = @queueName AND dead_lettered_at IS NULL ORDER BY sent_at, id",
            new { queueName }), cancellationToken);

    private static IReadOnlyList<QueueMessage> ReadMessages(SqliteConnection connection, SqliteTransaction? transaction, string sql, object parameters)
    {
        var list = new List<QueueMessage>();
        using var reader = connection.ExecuteReader(sql, parameters, transaction);
        while (reader.Read())
        {
            list.Add(new QueueMessage(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), ReadAttributes(reader.IsDBNull(3) ? null : reader.GetString(3)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetInt32(6), reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return list;
    }

    private static QueueConfig ReadConfig(string json) =>
        JsonSerializer.Deserialize(json, QueueJsonContext.Default.QueueConfig) ?? throw new InvalidDataException("a stored queue configuration is null");

    private static string? WriteAttributes(IReadOnlyDictionary<string, string>? attributes) =>
        attributes is { Count: > 0 } ? JsonSerializer.Serialize(attributes.ToDictionary(), QueueJsonContext.Default.DictionaryStringString) : null;

    private static Dictionary<string, string>? ReadAttributes(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, QueueJsonContext.Default.DictionaryStringString);
}
