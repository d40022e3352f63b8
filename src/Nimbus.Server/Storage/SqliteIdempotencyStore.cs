using System.Data;
using Dapper;
using Nimbus.Core.Idempotency;

namespace Nimbus.Server.Storage;

/// <summary>
/// Idempotency records as rows of the store's SQLite file, written through the store's single writer, so a claim (read
/// the record, decide, write in progress) is one transaction and two concurrent calls with one key cannot both run.
/// </summary>
public sealed class SqliteIdempotencyStore
{
    private const string Columns = "function_name, key_hash, state, request_id, created_at, expires_at, response, executed_version";

    private readonly SqliteStore _store;

    public SqliteIdempotencyStore(SqliteStore store) => _store = store;

    /// <summary>
    /// Decides on the key's record at <paramref name="claim"/>'s time and, when the decision is <see cref="IdempotencyDecision.Run"/>,
    /// writes <paramref name="claim"/> in its place. Returns the decision and the record it was made on (null when none or expired).
    /// </summary>
    public Task<(IdempotencyDecision Decision, IdempotencyRecord? Existing)> ClaimAsync(IdempotencyRecord claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return _store.WriteWithAsync((connection, transaction) =>
        {
            IdempotencyRecord? existing = null;
            using (var reader = connection.ExecuteReader($"SELECT {Columns} FROM idempotency_records WHERE function_name = @f AND key_hash = @k",
                new { f = claim.FunctionName, k = claim.KeyHash }, transaction))
            {
                if (reader.Read())
                {
                    existing = Read(reader);
                }
            }

            var decision = IdempotencyPolicy.Decide(existing, claim.CreatedAt);
            if (decision == IdempotencyDecision.Run)
            {
                Upsert(connection, transaction, claim);
            }

            return (decision, decision == IdempotencyDecision.Run ? null : existing);
        }, cancellationToken);
    }

    /// <summary>Writes the finished record (completed), or removes the claim (null), if <paramref name="claimed"/> still holds it.</summary>
    public Task FinishAsync(IdempotencyRecord claimed, IdempotencyRecord? finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return _store.WriteWithAsync((connection, transaction) =>
        {
            var owned = new { f = claimed.FunctionName, k = claimed.KeyHash, r = claimed.RequestId };
            if (finished is null)
            {
                return connection.Execute(
                    "DELETE FROM idempotency_records WHERE function_name = @f AND key_hash = @k AND request_id = @r AND state = 'InProgress'", owned, transaction);
            }

            return connection.Execute(
                """
                UPDATE idempotency_records SET state = @state, expires_at = @expires, response = @response, executed_version = @version
                WHERE function_name = @f AND key_hash = @k AND request_id = @r AND state = 'InProgress'
                """,
                new
                {
                    owned.f, owned.k, owned.r, state = finished.State.ToString(), expires = finished.ExpiresAt.ToUnixTimeMilliseconds(),
                    response = finished.Response.ToArray(), version = finished.ExecutedVersion,
                }, transaction);
        }, cancellationToken);
    }

    /// <summary>
    /// Drops every in-progress record: at start-up on a single node they belong to invocations of a process that is gone
    /// (kill -9 included), so their keys are free at once. Also removes records past their expiry.
    /// </summary>
    public Task<int> ReleaseAbandonedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((connection, transaction) => connection.Execute(
            "DELETE FROM idempotency_records WHERE state = 'InProgress' OR expires_at <= @now", new { now = now.ToUnixTimeMilliseconds() }, transaction),
            cancellationToken);

    /// <summary>The record for a key hash, whatever its expiry (for tests and diagnostics).</summary>
    public Task<IdempotencyRecord?> GetAsync(string functionName, string keyHash, CancellationToken cancellationToken) =>
        _store.ReadWithAsync(connection =>
        {
            using var reader = connection.ExecuteReader($"SELECT {Columns} FROM idempotency_records WHERE function_name = @f AND key_hash = @k",
                new { f = functionName, k = keyHash });
            return reader.Read() ? Read(reader) : null;
        }, cancellationToken);

    private static void Upsert(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, IdempotencyRecord record) =>
        connection.Execute(
            $"""
            INSERT OR REPLACE INTO idempotency_records ({Columns})
            VALUES (@FunctionName, @KeyHash, @State, @RequestId, @CreatedAt, @ExpiresAt, NULL, NULL)
            """,
            new
            {
                record.FunctionName, record.KeyHash, State = record.State.ToString(), record.RequestId,
                CreatedAt = record.CreatedAt.ToUnixTimeMilliseconds(), ExpiresAt = record.ExpiresAt.ToUnixTimeMilliseconds(),
            }, transaction);

    private static IdempotencyRecord Read(IDataRecord row) => new(
        row.GetString(0),
        row.GetString(1),
        Enum.Parse<IdempotencyState>(row.GetString(2)),
        row.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)),
        row.IsDBNull(6) ? default : (byte[])row.GetValue(6),
        row.IsDBNull(7) ? null : row.GetString(7));
}
