using Nimbus.Core.Invocations;

namespace Nimbus.Core.Logs;

/// <summary>What one stored log row holds: a line, or an invocation's END and REPORT lines, or its START, END and REPORT lines.</summary>
public enum StoredFrame : byte
{
    None = 0,
    EndReport = 1,
    StartEndReport = 2,
}

/// <summary>
/// One row of the logs table. <see cref="Id"/> is the id of its last line (so a reader that continues after the
/// largest id it received never misses a row); a folded START keeps its own id and time in <see cref="StartId"/> and
/// <see cref="StartTime"/>, and END is the id just before REPORT's.
/// </summary>
public sealed record LogRow(long Id, LogRecord Line, StoredFrame Frame = StoredFrame.None, long StartId = 0, DateTimeOffset StartTime = default);

/// <summary>
/// Every invocation writes START, END and REPORT lines; stored as three rows, they were more than half of the log
/// store's rows, bytes and index entries for a function that prints little (docs/design/warm-path.md, "Platform lines
/// folded"). The writer gives every line its id in the order the lines were written, as before, and stores an
/// invocation's END and REPORT in one row, with its START too when the START came in the same batch no more than
/// <see cref="MaxFoldedSpan"/> earlier. Reading expands the rows into the same lines, with the same ids.
/// </summary>
public static class LogFolding
{
    /// <summary>
    /// The longest a folded row may span from its START to its END: a time filter on the row's (END) time then needs
    /// to look only this much past its bound to find the STARTs inside it.
    /// </summary>
    public static readonly TimeSpan MaxFoldedSpan = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gives the batch's lines ids from <paramref name="nextId"/> on, in order (START one id, END and REPORT two), and
    /// returns the rows to store, in id order.
    /// </summary>
    public static List<LogRow> Fold(IReadOnlyList<LogRecord> batch, long nextId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var rows = new List<LogRow?>(batch.Count);
        Dictionary<string, int>? openStarts = null;
        foreach (var record in batch)
        {
            switch (record.Frame)
            {
                case LogFrame.Start when record.RequestId is not null:
                    // A placeholder: it is stored as a START row of its own unless its END comes in this batch.
                    openStarts ??= new Dictionary<string, int>(StringComparer.Ordinal);
                    openStarts[record.RequestId] = rows.Count;
                    rows.Add(new LogRow(nextId++, record));
                    break;
                case LogFrame.End when record.RequestId is not null:
                    var reportId = nextId + 1;
                    nextId += 2;
                    var line = record with { Frame = LogFrame.None };
                    if (openStarts is not null && openStarts.Remove(record.RequestId, out var index)
                        && rows[index] is { } start && record.Time - start.Line.Time <= MaxFoldedSpan)
                    {
                        rows[index] = null;
                        rows.Add(new LogRow(reportId, line, StoredFrame.StartEndReport, start.Id, start.Line.Time));
                    }
                    else
                    {
                        rows.Add(new LogRow(reportId, line, StoredFrame.EndReport));
                    }

                    break;
                default:
                    rows.Add(new LogRow(nextId++, Materialise(record)));
                    break;
            }
        }

        var result = new List<LogRow>(rows.Count);
        foreach (var row in rows)
        {
            if (row is not null)
            {
                result.Add(row.Line.Frame == LogFrame.None ? row : row with { Line = Materialise(row.Line) });
            }
        }

        return result;
    }

    /// <summary>The lines a stored row holds, in id order.</summary>
    public static IEnumerable<LogRecord> Expand(LogRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var line = row.Line;
        if (row.Frame == StoredFrame.None)
        {
            yield return line with { Id = row.Id };
            yield break;
        }

        var requestId = line.RequestId ?? "";
        if (row.Frame == StoredFrame.StartEndReport)
        {
            yield return line with { Id = row.StartId, Time = row.StartTime, Message = PlatformLogLines.Start(requestId, line.Version), FieldsJson = null };
        }

        yield return line with { Id = row.Id - 1, Message = PlatformLogLines.End(requestId), FieldsJson = null };
        yield return line with { Id = row.Id };
    }

    /// <summary>A marker stored as the line it stands for (a START whose END is not in the batch, a marker without a request id).</summary>
    private static LogRecord Materialise(LogRecord marker) => marker.Frame switch
    {
        LogFrame.Start => marker with { Frame = LogFrame.None, Message = PlatformLogLines.Start(marker.RequestId ?? "", marker.Version) },
        _ => marker with { Frame = LogFrame.None },
    };
}
