using System.Globalization;
using Nimbus.Core.Logs;
using Nimbus.Core.Tracing;

namespace Nimbus.Cli.Output;

/// <summary>
/// A trace as a text waterfall: the span tree (children under their parent, by start), each span's offset and
/// duration, a bar on a common time axis, and under each invocation its log lines. A span whose parent is not in the
/// trace (the caller's own span, not sent to Nimbus) is shown as a root.
/// </summary>
public static class TraceWaterfall
{
    private const int BarWidth = 40;

    public static void Write(TextWriter output, IReadOnlyList<SpanRecord> spans, IReadOnlyDictionary<string, IReadOnlyList<LogRecord>> logs)
    {
        if (spans.Count == 0)
        {
            output.WriteLine("No spans.");
            return;
        }

        var start = spans.Min(s => s.Start);
        var end = spans.Max(s => s.End);
        var totalMs = Math.Max((end - start).TotalMilliseconds, 0.001);
        output.WriteLine($"trace {spans[0].TraceId}  {Milliseconds(totalMs)}  {spans.Count} spans");
        foreach (var (span, depth) in Ordered(spans))
        {
            var offsetMs = (span.Start - start).TotalMilliseconds;
            var label = new string(' ', depth * 2) + span.Name + (span.FunctionName is { } f && span.Name != f ? $" ({f})" : "");
            var status = span.Error ? "  ERROR" + (span.StatusMessage is { } m ? " " + m : "") : "";
            output.WriteLine($"{Pad(label, 44)} {Bar(offsetMs, span.DurationMs, totalMs)} {Milliseconds(span.DurationMs),10} +{Milliseconds(offsetMs)}{status}");
            if (span.RequestId is { } requestId && span.Kind == "Server" && logs.TryGetValue(requestId, out var lines))
            {
                var indent = new string(' ', (depth * 2) + 4);
                foreach (var line in lines)
                {
                    output.WriteLine(indent + "│ " + line.Message.ReplaceLineEndings(" ").TrimEnd());
                }
            }
        }
    }

    /// <summary>The spans depth first, children by start time; orphans (parent not in the trace) are roots.</summary>
    public static IReadOnlyList<(SpanRecord Span, int Depth)> Ordered(IReadOnlyList<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is { } p && ids.Contains(p) && p != s.SpanId)
            .ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var ordered = new List<(SpanRecord, int)>(spans.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(SpanRecord span, int depth)
        {
            if (!seen.Add(span.SpanId))
            {
                return;
            }

            ordered.Add((span, depth));
            foreach (var child in children[span.SpanId].OrderBy(c => c.Start).ThenByDescending(c => c.DurationMs))
            {
                Visit(child, depth + 1);
            }
        }

        foreach (var root in spans.Where(s => s.ParentSpanId is not { } p || !ids.Contains(p) || p == s.SpanId).OrderBy(s => s.Start))
        {
            Visit(root, 0);
        }

        return ordered;
    }

    public static string Milliseconds(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : ms.ToString(ms >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Bar(double offsetMs, double durationMs, double totalMs)
    {
        var from = (int)Math.Round(offsetMs / totalMs * BarWidth);
        var width = Math.Max(1, (int)Math.Round(durationMs / totalMs * BarWidth));
        from = Math.Clamp(from, 0, BarWidth - 1);
        width = Math.Min(width, BarWidth - from);
        return "|" + new string(' ', from) + new string('█', width) + new string(' ', BarWidth - from - width) + "|";
    }

    private static string Pad(string text, int width) => text.Length >= width ? text[..(width - 1)] + "…" : text.PadRight(width);
}
