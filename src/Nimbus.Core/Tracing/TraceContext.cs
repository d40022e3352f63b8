namespace Nimbus.Core.Tracing;

/// <summary>
/// The trace an invocation belongs to: a W3C <c>traceparent</c> for the invocation's span, and the same trace written as
/// an AWS X-Ray header (<c>Lambda-Runtime-Trace-Id</c>, <c>_X_AMZN_TRACE_ID</c>) for runtimes that expect it.
/// <see cref="Hops"/> is how many function-to-function calls led to this invocation (0 for a call from outside); it
/// travels as <c>tracestate: nimbus=hops:N</c> and as the X-Ray header's <c>Lineage=nimbus:N</c> (docs/design/tracing.md).
/// </summary>
public readonly record struct TraceContext(string TraceId, string SpanId, string? ParentSpanId, bool Sampled)
{
    public int Hops { get; init; }

    public string TraceParent => $"00-{TraceId}-{SpanId}-{(Sampled ? "01" : "00")}";

    public string XRayTraceId => $"Root=1-{TraceId[..8]}-{TraceId[8..]};Parent={SpanId};Sampled={(Sampled ? 1 : 0)};Lineage={TraceHops.XRayValue(Hops)}";

    /// <summary>The W3C <c>tracestate</c> handed to the function, carrying the hop count.</summary>
    public string TraceState => TraceHops.TraceStateValue(Hops);

    /// <summary>
    /// Continues the caller's trace from W3C headers (preferred) or an AWS X-Ray header (what the AWS SDKs forward from
    /// <c>_X_AMZN_TRACE_ID</c>), or starts a new one. A caller that is a function (its context carries a hop count) makes
    /// this invocation one hop further down the chain.
    /// </summary>
    public static TraceContext Continue(string? traceParent, string? traceState, string? xRayHeader)
    {
        if (TryParse(traceParent, out var traceId, out var parentSpan, out var sampled))
        {
            return new TraceContext(traceId, NewId(8), parentSpan, sampled) { Hops = NextHop(TraceHops.FromTraceState(traceState) ?? TraceHops.FromXRay(xRayHeader)) };
        }

        if (XRayHeader.TryParse(xRayHeader, out var xray))
        {
            return new TraceContext(xray.TraceId, NewId(8), xray.ParentSpanId, xray.Sampled) { Hops = NextHop(xray.Hops) };
        }

        return new TraceContext(NewTraceId(), NewId(8), null, true) { Hops = NextHop(TraceHops.FromTraceState(traceState)) };
    }

    /// <summary>A new span in this trace under this one (same hop count): what an async accept hands the queued event.</summary>
    public TraceContext Child() => new(TraceId, NewId(8), SpanId, Sampled) { Hops = Hops };

    /// <summary>A new trace id (32 hex digits) that starts with the time: see <see cref="NewTraceId(DateTimeOffset)"/>.</summary>
    public static string NewTraceId() => NewTraceId(DateTimeOffset.UtcNow);

    /// <summary>
    /// A new trace id for a trace Nimbus starts: the Unix time in seconds (8 hex digits, as an AWS X-Ray trace id begins,
    /// so the X-Ray form of the id carries the real start time), then the fraction of that second in 65,536ths (4 hex
    /// digits), then 80 random bits. Ids made later sort later, so the store's index by trace id takes new traces on its
    /// last pages instead of a random page per invocation (docs/design/warm-path.md); 80 random bits keep ids of the
    /// same instant apart. W3C Trace Context allows it: only the right-most 7 bytes need to be random.
    /// </summary>
    public static string NewTraceId(DateTimeOffset now)
    {
        Span<byte> id = stackalloc byte[16];
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = (uint)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ushort)(ticks % TimeSpan.TicksPerSecond * 65536 / TimeSpan.TicksPerSecond);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(id, seconds);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(id[4..], fraction);
        do
        {
            Random.Shared.NextBytes(id[6..]);
        }
        while (IsZero(id[6..]));

        return Convert.ToHexStringLower(id);
    }

    /// <summary>A fresh span id (16 hex digits).</summary>
    public static string NewSpanId() => NewId(8);

    private static int NextHop(int? callerHops) => callerHops is { } hops ? hops + 1 : 0;

    /// <summary>Continues an incoming <c>traceparent</c> with a new child span, or starts a new trace when it is absent or invalid.</summary>
    public static TraceContext ContinueOrStart(string? traceParent)
    {
        if (TryParse(traceParent, out var traceId, out var parentSpan, out var sampled))
        {
            return new TraceContext(traceId, NewId(8), parentSpan, sampled);
        }

        return new TraceContext(NewTraceId(), NewId(8), null, true);
    }

    public static bool TryParse(string? traceParent, out string traceId, out string spanId, out bool sampled)
    {
        traceId = spanId = "";
        sampled = false;
        // version(2) - trace-id(32) - parent-id(16) - flags(2)
        if (traceParent is not { Length: >= 55 } || traceParent[2] != '-' || traceParent[35] != '-' || traceParent[52] != '-')
        {
            return false;
        }

        var version = traceParent.AsSpan(0, 2);
        var trace = traceParent.AsSpan(3, 32);
        var span = traceParent.AsSpan(36, 16);
        var flags = traceParent.AsSpan(53, 2);
        if (!IsLowerHex(version) || version.SequenceEqual("ff") || !IsLowerHex(trace) || !IsLowerHex(span) || !IsLowerHex(flags)
            || IsAllZero(trace) || IsAllZero(span) || (version.SequenceEqual("00") && traceParent.Length != 55))
        {
            return false;
        }

        traceId = trace.ToString();
        spanId = span.ToString();
        sampled = (Convert.ToInt32(flags.ToString(), 16) & 1) == 1;
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllZero(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c != '0')
            {
                return false;
            }
        }

        return true;
    }

    private static string NewId(int bytes)
    {
        Span<byte> buffer = stackalloc byte[16];
        var slice = buffer[..bytes];
        do
        {
            Random.Shared.NextBytes(slice);
        }
        while (IsZero(slice));

        return Convert.ToHexStringLower(slice);
    }

    private static bool IsZero(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept((byte)0) < 0;
}
