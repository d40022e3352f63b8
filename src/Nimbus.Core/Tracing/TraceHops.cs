using System.Globalization;

namespace Nimbus.Core.Tracing;

/// <summary>
/// The hop count of a function-to-function chain as it is written in trace headers: the W3C <c>tracestate</c> entry
/// <c>nimbus=hops:N</c> and the X-Ray header's <c>Lineage=nimbus:N</c>. The strings for short chains are made once, so
/// handing them to every invocation allocates nothing.
/// </summary>
public static class TraceHops
{
    public const string TraceStateKey = "nimbus";
    private const int Cached = 64;
    private static readonly string[] s_traceState = Enumerable.Range(0, Cached).Select(h => $"nimbus=hops:{h}").ToArray();
    private static readonly string[] s_xray = Enumerable.Range(0, Cached).Select(h => $"nimbus:{h}").ToArray();

    public static string TraceStateValue(int hops) =>
        (uint)hops < Cached ? s_traceState[hops] : string.Create(CultureInfo.InvariantCulture, $"nimbus=hops:{hops}");

    public static string XRayValue(int hops) =>
        (uint)hops < Cached ? s_xray[hops] : string.Create(CultureInfo.InvariantCulture, $"nimbus:{hops}");

    /// <summary>The hop count in a <c>tracestate</c> header (<c>vendor=value</c> entries split by commas); null when absent.</summary>
    public static int? FromTraceState(string? traceState)
    {
        if (string.IsNullOrEmpty(traceState))
        {
            return null;
        }

        foreach (var range in traceState.AsSpan().Split(','))
        {
            var entry = traceState.AsSpan(range).Trim();
            if (entry.StartsWith("nimbus=hops:", StringComparison.Ordinal)
                && int.TryParse(entry["nimbus=hops:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var hops))
            {
                return hops;
            }
        }

        return null;
    }

    /// <summary>The hop count in an X-Ray header's <c>Lineage</c> field (<c>nimbus:N</c>); null when absent.</summary>
    public static int? FromXRay(string? header) => XRayHeader.TryParse(header, out var parsed) ? parsed.Hops : null;

    /// <summary>Reads a <c>Lineage</c> value: entries <c>name:count</c> split by <c>|</c>; Nimbus's is <c>nimbus</c>.</summary>
    internal static int? FromLineage(ReadOnlySpan<char> lineage)
    {
        foreach (var range in lineage.Split('|'))
        {
            var entry = lineage[range].Trim();
            if (entry.StartsWith("nimbus:", StringComparison.Ordinal)
                && int.TryParse(entry["nimbus:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var hops))
            {
                return hops;
            }
        }

        return null;
    }
}
