using Dapper;
using Nimbus.Core.Logs;

namespace Nimbus.Server.Storage;

/// <summary>
/// Log rows kept outside the logs table (an invocation's platform lines in its record's row, see
/// <see cref="SqliteObservabilityStore"/>), presented under the logs table's column names so that
/// <see cref="SqliteStore"/> filters, orders and pages them with the same SQL as its own rows.
/// </summary>
public interface ILogRowSource
{
    /// <summary>
    /// At most <c>@limit</c> rows matching <paramref name="condition"/>, in <paramref name="order"/>;
    /// <paramref name="requestId"/> is the query's request id filter (already in the condition), for the source's own index.
    /// </summary>
    List<LogRow> ReadLogRows(string condition, string order, DynamicParameters parameters, string? requestId);
}

/// <summary>
/// Where <see cref="SqliteStore.AppendLogsAsync(IReadOnlyList{LogRecord}, IPlatformRowStore?, CancellationToken)"/>
/// hands a batch's folded START/END/REPORT rows, inside the batch's write transaction: it stores those it can (committed)
/// and may take more ids of the log sequence for rows of its own.
/// </summary>
public interface IPlatformRowStore
{
    /// <summary>The largest id it has used: the log sequence continues after it.</summary>
    long LastId { get; }

    /// <summary>
    /// Stores what it can of <paramref name="rows"/> (ids assigned) and adds their ids to <paramref name="stored"/>; ids
    /// from <paramref name="nextId"/> on are free for it. Returns the largest id it used, or <c>nextId - 1</c>.
    /// </summary>
    long Store(IReadOnlyList<LogRow> rows, long nextId, ISet<long> stored);
}
