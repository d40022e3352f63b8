using Nimbus.Core.Invocations;

namespace Nimbus.Core.Logs;

/// <summary>
/// Which folded START/END/REPORT rows of a log batch can be stored with their invocation's record instead of as log rows
/// of their own (docs/design/warm-path.md, "Platform lines stored with the record"). The lines are the same either way;
/// what changes is only where the row lives, so a pair is made only where nothing can be attributed wrongly: one row and
/// one record of a request id in the two batches, of the same function, version and trace. A row without its record
/// (the record is published after the END line and may come in the next batch), or a request id twice on either side
/// (an async event's attempts), stays a log row.
/// </summary>
public static class PlatformRows
{
    /// <summary>For each record, the folded row stored with it, or null.</summary>
    public static LogRow?[] Match(IReadOnlyList<LogRow> rows, IReadOnlyList<InvocationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(records);
        var matches = new LogRow?[records.Count];
        if (rows.Count == 0 || records.Count == 0)
        {
            return matches;
        }

        // Request id -> the one folded row of it, or null once a second one shows.
        var byRequest = new Dictionary<string, LogRow?>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Frame == StoredFrame.None || row.Line.RequestId is not { } requestId)
            {
                continue;
            }

            byRequest[requestId] = byRequest.ContainsKey(requestId) ? null : row;
        }

        // Request id -> index of its one record, or -1 once a second one shows.
        var recordOf = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var requestId = records[i].RequestId;
            recordOf[requestId] = recordOf.ContainsKey(requestId) ? -1 : i;
        }

        foreach (var (requestId, index) in recordOf)
        {
            if (index < 0 || !byRequest.TryGetValue(requestId, out var row) || row is null)
            {
                continue;
            }

            var record = records[index];
            var line = row.Line;
            if (record.SpanId is not null && record.TraceId is not null && string.Equals(line.TraceId, record.TraceId, StringComparison.Ordinal)
                && string.Equals(line.FunctionName, record.FunctionName, StringComparison.Ordinal)
                && string.Equals(line.Version, record.Version, StringComparison.Ordinal))
            {
                matches[index] = row;
            }
        }

        return matches;
    }
}
