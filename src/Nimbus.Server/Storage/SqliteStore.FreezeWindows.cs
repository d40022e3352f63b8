using System.Data;
using Dapper;
using Nimbus.Core.Deployments;

namespace Nimbus.Server.Storage;

/// <summary>
/// Freeze windows in SQLite. Like the deployments tables, the table is created on first use with <c>IF NOT EXISTS</c>
/// (docs/design/deployments.md), so this adds no entry to the shared migration list.
/// </summary>
public sealed partial class SqliteStore : IFreezeWindowStore
{
    private const string FreezeWindowsSchema =
        """
        CREATE TABLE IF NOT EXISTS freeze_windows (
            id            TEXT    NOT NULL PRIMARY KEY,
            function_name TEXT,
            start_at      INTEGER NOT NULL,
            end_at        INTEGER NOT NULL,
            reason        TEXT,
            created_at    INTEGER NOT NULL
        );
        """;

    private volatile bool _freezeWindowsReady;

    public async Task<FreezeWindow> InsertFreezeWindowAsync(FreezeWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        await EnsureFreezeWindowsAsync(cancellationToken).ConfigureAwait(false);
        var stored = window with { Id = $"fw-{Guid.NewGuid():N}"[..11] };
        await WriteAsync((connection, transaction) => connection.Execute(
            "INSERT INTO freeze_windows (id, function_name, start_at, end_at, reason, created_at) VALUES (@id, @function, @start, @end, @reason, @now)",
            new
            {
                id = stored.Id,
                function = stored.Function,
                start = SqliteRows.ToUnixMs(stored.Start),
                end = SqliteRows.ToUnixMs(stored.End),
                reason = stored.Reason,
                now = Now(),
            }, transaction), cancellationToken).ConfigureAwait(false);
        return stored;
    }

    public async Task<IReadOnlyList<FreezeWindow>> ListFreezeWindowsAsync(DateTimeOffset endingAfter, CancellationToken cancellationToken)
    {
        await EnsureFreezeWindowsAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection => ReadList(connection, null,
            "SELECT id, function_name, start_at, end_at, reason FROM freeze_windows WHERE end_at > @after ORDER BY start_at, id",
            new { after = SqliteRows.ToUnixMs(endingAfter) }, ReadFreezeWindow), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteFreezeWindowAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureFreezeWindowsAsync(cancellationToken).ConfigureAwait(false);
        var rows = await WriteAsync((connection, transaction) => connection.Execute(
            "DELETE FROM freeze_windows WHERE id = @id", new { id }, transaction), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    private async Task EnsureFreezeWindowsAsync(CancellationToken cancellationToken)
    {
        if (_freezeWindowsReady)
        {
            return;
        }

        await WriteAsync((connection, transaction) => connection.Execute(FreezeWindowsSchema, transaction: transaction), cancellationToken).ConfigureAwait(false);
        _freezeWindowsReady = true;
    }

    private static FreezeWindow ReadFreezeWindow(IDataRecord row) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)), Text(row, 4))
        {
            Id = row.GetString(0),
            Function = Text(row, 1),
        };
}
