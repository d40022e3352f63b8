namespace Nimbus.Core.Tracing;

/// <summary>
/// The trace context an async event keeps in its queue row (the <c>traceparent</c> column): the traceparent, then,
/// when the event was sent by a function, a space and the tracestate with the hop count
/// of the caller (<c>00-…-01 nimbus=hops:3</c>). Every attempt continues it as the caller's call, so the recursion guard
/// sees the same chain depth however late the attempt runs.
/// </summary>
public static class QueuedTrace
{
    public static string Encode(TraceContext trace) =>
        trace.Hops == 0 ? trace.TraceParent : string.Concat(trace.TraceParent, " ", TraceHops.TraceStateValue(trace.Hops - 1));

    public static (string? TraceParent, string? TraceState) Decode(string? stored)
    {
        if (stored is null)
        {
            return (null, null);
        }

        var space = stored.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (stored, null) : (stored[..space], stored[(space + 1)..]);
    }
}
