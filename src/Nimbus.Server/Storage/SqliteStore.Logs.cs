using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Nimbus.Core.Logs;

namespace Nimbus.Server.Storage;

/// <summary>
/// The logs table. An invocation's START, END and REPORT lines are stored in one row where they can be
/// (<see cref="LogFolding"/>); reads expand the rows into lines, so callers see every line with its own id and time.
/// </summary>
public sealed partial class SqliteStore
{
    /// <summary>The most pages of rows one newest-first query reads before it answers with what it has.</summary>
    private const int MaxLogPages = 64;

    /// <summary>
    /// The widest id range a follow page reads by id rather than by the function's index: at most this many rows of every
    /// function are stepped over, where the index would read every stored line of the function.
    /// </summary>
    private const long FollowRangeIds = 200_000;

    /// <summary>How many rows past its limit a follow page looks at for folded rows whose START falls inside it.</summary>
    private const int FollowLookahead = 64;

    /// <summary>
    /// Inserts the batch in one transaction with one prepared statement. <see cref="LogRecord.Id"/> of the input is
    /// ignored: the lines get increasing ids in the batch's order, following the largest id stored (read in the same
    /// write transaction, so another process writing the same file cannot take the same ids).
    /// </summary>
    public Task AppendLogsAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken) =>
        AppendLogsAsync(records, null, cancellationToken);

    /// <summary>
    /// As <see cref="AppendLogsAsync(IReadOnlyList{LogRecord}, CancellationToken)"/>; <paramref name="storeElsewhere"/>,
    /// when given, is handed the batch's folded START/END/REPORT rows, ids assigned, inside the write transaction and
    /// before anything is inserted (also when the batch is empty, so that it can take ids of the sequence); the rows it
    /// stores are not inserted here, and the sequence moves past every id it used. So what it stores is committed there
    /// before the ids after it become readable here, which lets <see cref="QueryLogsAsync"/> read both without missing a
    /// line (see <see cref="ReadPlatformLinesFrom"/>).
    /// </summary>
    public Task AppendLogsAsync(IReadOnlyList<LogRecord> records, IPlatformRowStore? storeElsewhere, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0 && storeElsewhere is null)
        {
            return Task.CompletedTask;
        }

        return WriteAsync((connection, transaction) =>
        {
            var stored = connection.ExecuteScalar<long>(LastLogIdSql, transaction: transaction);
            // Ids an earlier batch used elsewhere stay taken, even if its transaction here did not commit.
            var next = Math.Max(Math.Max(stored, _lastLogId), storeElsewhere?.LastId ?? 0) + 1;
            var rows = LogFolding.Fold(records, next);
            var top = rows.Count == 0 ? next - 1 : rows.Max(static row => row.Id);
            HashSet<long>? elsewhere = null;
            if (storeElsewhere is not null)
            {
                elsewhere = [];
                top = Math.Max(top, storeElsewhere.Store(rows.FindAll(static row => row.Frame != StoredFrame.None), top + 1, elsewhere));
            }

            // Prepared once for the writer's lifetime (see SqliteBatchStatement); the write lock serialises its use.
            var insert = _logInsert ??= new SqliteBatchStatement(connection,
                """
                INSERT INTO logs (id, time, function_name, version, request_id, trace_id, level, stream, message, fields_json, frame, start_id, start_time)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                """);
            foreach (var row in rows)
            {
                if (elsewhere?.Contains(row.Id) == true)
                {
                    continue;
                }

                var record = row.Line;
                insert.Integer(1, row.Id);
                insert.Integer(2, SqliteRows.ToUnixMs(record.Time));
                insert.Text(3, record.FunctionName);
                insert.Text(4, record.Version);
                insert.Text(5, record.RequestId);
                insert.Text(6, record.TraceId);
                insert.Text(7, record.Level);
                insert.Text(8, record.Stream);
                insert.Text(9, record.Message);
                insert.Text(10, record.FieldsJson);
                var folded = row.Frame != StoredFrame.None;
                insert.Integer(11, folded ? (long)row.Frame : null);
                insert.Integer(12, row.Frame == StoredFrame.StartEndReport ? row.StartId : null);
                insert.Integer(13, row.Frame == StoredFrame.StartEndReport ? SqliteRows.ToUnixMs(row.StartTime) : null);
                insert.Execute();
            }

            if (storeElsewhere is not null && top > stored)
            {
                // The sequence is the readers' watermark: it covers the ids stored elsewhere once this commits.
                connection.Execute(
                    """
                    UPDATE sqlite_sequence SET seq = @top WHERE name = 'logs' AND seq < @top;
                    INSERT INTO sqlite_sequence (name, seq) SELECT 'logs', @top WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'logs');
                    """, new { top }, transaction);
            }

            _lastLogId = Math.Max(_lastLogId, top);
            return rows.Count;
        }, cancellationToken);
    }

    /// <summary>The largest log id taken: the table's sequence (which also covers ids stored elsewhere), or its largest row.</summary>
    private const string LastLogIdSql =
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'logs'), 0), coalesce((SELECT max(id) FROM logs), 0))";

    /// <summary>
    /// Log rows kept elsewhere (an invocation's platform lines in its record's row) are read from
    /// <paramref name="source"/> beside the logs table: set once, before the store is read.
    /// </summary>
    public void ReadPlatformLinesFrom(ILogRowSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _platformLogRows = source;
    }

    /// <summary>
    /// Filters (all optional except the function, combined with AND): request id (exact); <c>Since</c> inclusive and
    /// <c>Until</c> exclusive; level (exact, case-insensitive); text (substring of the message or of the structured
    /// fields, case-insensitive for ASCII letters, <c>%</c> and <c>_</c> taken literally); trace id (exact).
    /// Without <c>AfterId</c>: at most <c>Limit</c> lines, the newest ones when more match, returned oldest first
    /// (by time, then id). With <c>AfterId</c> (follow): the lines of the first rows with a larger id, in id order, at
    /// most <c>Limit</c> (a row's lines come together; its id is its last line's), so the caller continues from the
    /// largest id it received and misses none.
    /// </summary>
    public Task<IReadOnlyList<LogRecord>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));

        return ReadAsync<IReadOnlyList<LogRecord>>(connection =>
        {
            // Lines up to the sequence only: every id up to it is committed in both places (see AppendLogsAsync), so a
            // follower that goes on from the largest id it got misses none stored elsewhere.
            var watermark = connection.ExecuteScalar<long>(LastLogIdSql);
            // A follower near the end reads the few ids after its last by the id (rowid) range; the function's index
            // would have every line of the function read and sorted on each poll.
            var byIdRange = query.AfterId is { } after && watermark - after <= FollowRangeIds;
            var (where, parameters) = LogRowFilter(query, byIdRange);
            where += " AND id <= @watermark";
            parameters.Add("watermark", watermark);
            return query.AfterId is { } afterId
                ? ReadLogsAfter(connection, query, where, parameters, afterId)
                : ReadNewestLogs(connection, query, where, parameters);
        }, cancellationToken);
    }

    /// <summary>
    /// Rows of the logs table and of <see cref="_platformLogRows"/> that match <paramref name="condition"/>, merged in
    /// <paramref name="order"/> (compared by <paramref name="comparison"/>), at most <c>@limit</c> of them.
    /// </summary>
    private IReadOnlyList<LogRow> ReadLogRows(SqliteConnection connection, string condition, string order, DynamicParameters parameters, int limit,
        Comparison<LogRow> comparison, string? requestId)
    {
        var own = ReadList(connection, null, $"SELECT {SqliteRows.LogColumns} FROM logs WHERE {condition} ORDER BY {order} LIMIT @limit",
            parameters, SqliteRows.LogRow);
        if (_platformLogRows is null)
        {
            return own;
        }

        var rows = new List<LogRow>(own.Count * 2);
        rows.AddRange(own);
        rows.AddRange(_platformLogRows.ReadLogRows(condition, order, parameters, requestId));
        rows.Sort(comparison);
        return rows.Count > limit ? rows.GetRange(0, limit) : rows;
    }

    private static int ByIdAscending(LogRow a, LogRow b) => a.Id.CompareTo(b.Id);

    private static int ByTimeDescending(LogRow a, LogRow b) =>
        a.Line.Time != b.Line.Time ? b.Line.Time.CompareTo(a.Line.Time) : b.Id.CompareTo(a.Id);

    private List<LogRecord> ReadLogsAfter(SqliteConnection connection, LogQuery query, string where, DynamicParameters parameters, long afterId)
    {
        parameters.Add("afterId", afterId);
        // Rows past the limit, to find the folded rows whose START is inside the page.
        var limit = query.Limit + FollowLookahead;
        parameters.Add("limit", limit);
        var rows = ReadLogRows(connection, $"{where} AND id > @afterId", "id", parameters, limit, ByIdAscending, query.RequestId);
        // Whole rows only, in id order: the caller's next page starts after the last row it got. The page ends where
        // its lines reach the limit, or later, so that a folded row whose START comes before that end is in it too
        // (else the START would arrive after lines that follow it).
        var take = 0;
        var count = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var startsInside = take > 0 && rows[i].Frame == StoredFrame.StartEndReport && rows[i].StartId <= rows[take - 1].Id;
            if ((take == i && count < query.Limit) || startsInside)
            {
                for (; take <= i; take++)
                {
                    count += rows[take].Frame switch { StoredFrame.None => 1, StoredFrame.EndReport => 2, _ => 3 };
                }
            }
        }

        var lines = new List<LogRecord>();
        foreach (var row in rows.Take(take))
        {
            lines.AddRange(LogFolding.Expand(row).Where(line => LogLineFilter.Matches(query, line)));
        }

        lines.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return lines;
    }

    /// <summary>
    /// Reads rows newest first (by their time: a folded row's is its END's) a page at a time. A line is never later than
    /// its row, so once a page ends at time T every line later than T has been read; it stops when that holds for
    /// <c>Limit</c> lines, or the rows run out.
    /// </summary>
    private List<LogRecord> ReadNewestLogs(SqliteConnection connection, LogQuery query, string where, DynamicParameters parameters)
    {
        parameters.Add("limit", query.Limit);
        var lines = new List<LogRecord>();
        long? lastTime = null;
        long lastId = 0;
        for (var page = 0; page < MaxLogPages; page++)
        {
            if (lastTime is { } time)
            {
                parameters.Add("lastTime", time);
                parameters.Add("lastId", lastId);
            }

            var keyset = lastTime is null ? "" : " AND (time < @lastTime OR (time = @lastTime AND id < @lastId))";
            var rows = ReadLogRows(connection, where + keyset, "time DESC, id DESC", parameters, query.Limit, ByTimeDescending, query.RequestId);
            foreach (var row in rows)
            {
                lines.AddRange(LogFolding.Expand(row).Where(line => LogLineFilter.Matches(query, line)));
            }

            if (rows.Count < query.Limit)
            {
                break;
            }

            lastTime = SqliteRows.ToUnixMs(rows[^1].Line.Time);
            lastId = rows[^1].Id;
            var complete = 0;
            foreach (var line in lines)
            {
                if (SqliteRows.ToUnixMs(line.Time) > lastTime)
                {
                    complete++;
                }
            }

            if (complete >= query.Limit)
            {
                break;
            }
        }

        lines.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Id.CompareTo(b.Id));
        return lines.Count > query.Limit ? lines.GetRange(lines.Count - query.Limit, query.Limit) : lines;
    }

    /// <summary>
    /// The SQL condition on rows that keeps every row holding a matching line (and perhaps others, which
    /// <see cref="LogLineFilter"/> then drops): a folded row's START is earlier than its time and has its own text.
    /// </summary>
    /// <param name="byIdRange">Keeps the function's index out of the plan (a unary plus), so that an id range is read by id.</param>
    private static (string Where, DynamicParameters Parameters) LogRowFilter(LogQuery query, bool byIdRange)
    {
        var sql = new StringBuilder(byIdRange ? "+function_name = @functionName" : "function_name = @functionName");
        var parameters = new DynamicParameters();
        parameters.Add("functionName", query.FunctionName);
        if (query.TraceId is not null)
        {
            sql.Append(" AND trace_id = @traceId");
            parameters.Add("traceId", query.TraceId);
        }

        if (query.RequestId is not null)
        {
            sql.Append(" AND request_id = @requestId");
            parameters.Add("requestId", query.RequestId);
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND time >= @since");
            parameters.Add("since", SqliteRows.ToUnixMs(since));
        }

        if (query.Until is { } until)
        {
            // A folded row ends at most MaxFoldedSpan after its START: the index range stops there.
            var untilMs = SqliteRows.ToUnixMs(until);
            sql.Append(" AND time < @untilWide AND (time < @until OR (frame = 2 AND start_time < @until))");
            parameters.Add("until", untilMs);
            parameters.Add("untilWide", untilMs > long.MaxValue - 1_000_000 ? long.MaxValue : untilMs + (long)LogFolding.MaxFoldedSpan.TotalMilliseconds);
        }

        if (!string.IsNullOrEmpty(query.Level))
        {
            sql.Append(" AND level = @level COLLATE NOCASE");
            parameters.Add("level", query.Level);
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            // SQLite's LIKE is case-insensitive for ASCII; the escape makes the user's % and _ plain characters.
            sql.Append(@" AND (message LIKE @text ESCAPE '\' OR fields_json LIKE @text ESCAPE '\'");
            sql.Append(@" OR (frame IS NOT NULL AND ('END RequestId: ' || request_id) LIKE @text ESCAPE '\')");
            sql.Append(@" OR (frame = 2 AND ('START RequestId: ' || request_id || ' Version: ' || version) LIKE @text ESCAPE '\'))");
            parameters.Add("text", "%" + EscapeLike(query.Text) + "%");
        }

        return (sql.ToString(), parameters);
    }
}
