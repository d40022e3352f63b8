using Dapper;
using Nimbus.Core.Security.Policy;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Security;

/// <summary>What each function attempted (action, resource, allowed and denied counts, last time), in the store's SQLite file.</summary>
public sealed class ObservedAccessStore
{
    private readonly SqliteStore _store;

    public ObservedAccessStore(SqliteStore store) => _store = store;

    public Task RecordAsync(string functionName, string action, string resource, bool allowed, DateTimeOffset at, CancellationToken cancellationToken) =>
        _store.WriteWithAsync((c, t) => c.Execute(
            """
            INSERT INTO observed_access (function_name, action, resource, allowed, denied, last_at)
            VALUES (@functionName, @action, @resource, @allowedCount, @deniedCount, @lastAt)
            ON CONFLICT (function_name, action, resource) DO UPDATE SET
                allowed = allowed + excluded.allowed, denied = denied + excluded.denied, last_at = max(last_at, excluded.last_at)
            """,
            new { functionName, action, resource, allowedCount = allowed ? 1 : 0, deniedCount = allowed ? 0 : 1, lastAt = at.ToUnixTimeMilliseconds() }, t),
            cancellationToken);

    public Task<IReadOnlyList<ObservedAccess>> ListAsync(string functionName, CancellationToken cancellationToken) =>
        _store.ReadWithAsync<IReadOnlyList<ObservedAccess>>(c => c.Query<(string Action, string Resource, long Allowed, long Denied, long LastAt)>(
            "SELECT action, resource, allowed, denied, last_at FROM observed_access WHERE function_name = @functionName ORDER BY action, resource",
            new { functionName })
            .Select(r => new ObservedAccess(r.Action, r.Resource, r.Allowed, r.Denied, DateTimeOffset.FromUnixTimeMilliseconds(r.LastAt)))
            .ToList(), cancellationToken);
}
