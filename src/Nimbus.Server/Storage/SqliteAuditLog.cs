using Dapper;
using Nimbus.Core.Api;

namespace Nimbus.Server.Storage;

/// <summary>
/// The audit log in its own table (<c>audit_log</c>): appended by authentication and the management API, read by
/// <c>GET /api/v1/audit</c> and by anything else that shows what was done (a change timeline).
/// </summary>
public sealed class SqliteAuditLog(SqliteStore store)
{
    public const int MaxLimit = 10_000;

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken) =>
        store.WriteWithAsync((connection, transaction) => connection.Execute(
            """
            INSERT INTO audit_log (time, identity_id, role, action, target, function_name, source, outcome, status, detail)
            VALUES (@time, @identity, @role, @action, @target, @function, @source, @outcome, @status, @detail)
            """,
            new
            {
                time = record.Time.ToUnixTimeMilliseconds(),
                identity = record.IdentityId,
                role = record.Role,
                action = record.Action,
                target = record.Target,
                function = record.Function,
                source = record.Source,
                outcome = record.Outcome,
                status = record.Status,
                detail = record.Detail,
            },
            transaction), cancellationToken);

    /// <summary>Records at or after <paramref name="since"/> (all when null), oldest first, at most <paramref name="limit"/> (the newest ones).</summary>
    public Task<IReadOnlyList<AuditRecord>> QueryAsync(DateTimeOffset? since, int limit, CancellationToken cancellationToken) =>
        store.ReadWithAsync<IReadOnlyList<AuditRecord>>(connection => connection.Query<Row>(
                """
                SELECT * FROM (
                    SELECT id, time, identity_id, role, action, target, function_name, source, outcome, status, detail
                    FROM audit_log WHERE time >= @since ORDER BY id DESC LIMIT @limit)
                ORDER BY id
                """,
                new { since = since?.ToUnixTimeMilliseconds() ?? 0, limit = Math.Clamp(limit, 1, MaxLimit) })
            .Select(ToRecord)
            .ToList(), cancellationToken);

    /// <summary>The allowed, successful actions on <paramref name="function"/> (any function when null) at or after
    /// <paramref name="since"/>, newest first, at most <paramref name="limit"/>: what the change timeline shows
    /// (<see cref="Core.Timeline.AuditChanges"/>).</summary>
    public Task<IReadOnlyList<AuditRecord>> QueryChangesAsync(string? function, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        store.ReadWithAsync<IReadOnlyList<AuditRecord>>(connection => connection.Query<Row>(
                """
                SELECT id, time, identity_id, role, action, target, function_name, source, outcome, status, detail
                FROM audit_log
                WHERE time >= @since AND function_name IS NOT NULL AND (@function IS NULL OR function_name = @function)
                  AND outcome = @allowed AND status >= 200 AND status < 400
                ORDER BY id DESC LIMIT @limit
                """,
                new { since = since.ToUnixTimeMilliseconds(), function, allowed = Core.Security.AuditOutcomes.Allowed, limit = Math.Clamp(limit, 1, MaxLimit) })
            .Select(ToRecord)
            .ToList(), cancellationToken);

    private static AuditRecord ToRecord(Row r) => new(r.id, DateTimeOffset.FromUnixTimeMilliseconds(r.time), r.identity_id, r.role, r.action, r.target,
        r.function_name, r.source, r.outcome, (int)r.status, r.detail);

#pragma warning disable IDE1006 // Dapper maps columns by name.
    private sealed record Row(
        long id, long time, string? identity_id, string? role, string action, string target, string? function_name, string source,
        string outcome, long status, string? detail);
#pragma warning restore IDE1006
}
