using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tracing;

/// <summary>
/// The platform's spans of one invocation, derived from its record off the invoke path: the invocation (a
/// <c>Server</c> span named after the function, the parent of the function's own spans and of the calls it makes)
/// and its phases: waiting for an instance, the cold start's init, and the execution. The store keeps the invocation's
/// span with its phases folded in (<see cref="SpanRecord.Phases"/>) and unfolds them when a trace is read
/// (<see cref="Unfold"/>); a phase's span id is derived from its parent's, so both forms name the same spans.
/// </summary>
public static class PlatformSpans
{
    /// <summary>The invocation's span followed by its phases' spans; empty when the record has no span.</summary>
    public static IEnumerable<SpanRecord> From(InvocationRecord record) =>
        Invocation(record) is { } invocation ? WithPhases(invocation) : [];

    /// <summary>A span as separate spans: itself without its folded phases, then the phases' spans (as read and exported).</summary>
    public static IEnumerable<SpanRecord> WithPhases(SpanRecord span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return [span.Phases is null ? span : span with { Phases = null }, .. Unfold(span)];
    }

    /// <summary>The spans of an invocation's folded phases (none for a span without them).</summary>
    public static IEnumerable<SpanRecord> Unfold(SpanRecord invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (invocation.Phases is not { } phases)
        {
            yield break;
        }

        var common = new Dictionary<string, object?>(StringComparer.Ordinal) { [SpanNames.FaasInvocationId] = invocation.RequestId };
        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            yield return new SpanRecord(invocation.TraceId, PhaseSpanId(invocation.SpanId, i), invocation.SpanId, phase.Name, "Internal", phase.Start,
                phase.DurationMs, invocation.FunctionName, invocation.RequestId, phase.Error, phase.Error ? invocation.StatusMessage : null,
                SpanRecord.PlatformOrigin, common);
        }
    }

    /// <summary>
    /// The span id of an invocation's phase <paramref name="index"/>: the parent's 64 bits mixed with the index (never
    /// zero, never the parent's own id), so the stored and the exported form of a trace agree without storing the id.
    /// </summary>
    public static string PhaseSpanId(string parentSpanId, int index)
    {
        ArgumentNullException.ThrowIfNull(parentSpanId);
        var parent = ulong.TryParse(parentSpanId, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : Fnv1a(parentSpanId); // not a 16-hex-digit id: still the same in every process (string hashes are per-process)
        var id = parent ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        return (id == 0 ? 1UL : id).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }

    /// <summary>The invocation's own span, its phases folded into <see cref="SpanRecord.Phases"/>; null when the record has no span.</summary>
    public static SpanRecord? Invocation(InvocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.TraceId is null || record.SpanId is not { } spanId)
        {
            return null;
        }

        var (start, totalMs, failed, _) = Shape(record);
        var executed = Executed(record);
        var handOver = record.StartedAt;
        var executionMs = executed ? record.DurationMs : 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [SpanNames.CloudProvider] = "nimbus",
            [SpanNames.FaasName] = record.FunctionName,
            [SpanNames.FaasVersion] = record.Version,
            [SpanNames.FaasInvocationId] = record.RequestId,
            [SpanNames.FaasColdStart] = record.ColdStart,
            [SpanNames.FaasTrigger] = Trigger(record.Source),
            [SpanNames.Outcome] = record.Outcome.ToString(),
            [SpanNames.Hops] = record.Hops,
        };
        if (record.MemorySizeMb > 0)
        {
            attributes[SpanNames.FaasMaxMemory] = record.MemorySizeMb * 1024L * 1024L;
        }

        if (record.MaxMemoryUsedMb > 0)
        {
            attributes[SpanNames.MaxMemoryUsed] = record.MaxMemoryUsedMb;
        }

        if (record.Alias is { } alias)
        {
            attributes[SpanNames.Alias] = alias;
        }

        if (record.Source is { } source)
        {
            attributes[SpanNames.Source] = source;
        }

        if (failed && record.ErrorType is { } errorType)
        {
            attributes[SpanNames.ErrorType] = errorType;
        }

        if (record.InitDurationMs is { } initMs)
        {
            attributes[SpanNames.InitDuration] = initMs;
        }

        // Before the hand-over: waiting for an instance (or a start slot), then the cold start's init when there was one.
        var initMsOrZero = record.InitDurationMs ?? 0;
        var beforeExecution = totalMs - executionMs;
        var waitMs = Math.Max(0, beforeExecution - initMsOrZero);
        var phases = new List<SpanPhase>(3);
        if (waitMs > 0 || !record.ColdStart)
        {
            phases.Add(new SpanPhase(SpanNames.QueueWait, start, waitMs, record.Outcome == InvocationOutcome.Throttled));
        }

        if (record.ColdStart)
        {
            phases.Add(new SpanPhase(SpanNames.Init, start.AddMilliseconds(waitMs), Math.Max(0, Math.Min(initMsOrZero, beforeExecution)),
                record.Outcome == InvocationOutcome.InitError));
        }

        if (executed)
        {
            phases.Add(new SpanPhase(SpanNames.Execute, handOver, Math.Max(0, executionMs), failed));
        }

        return Span(record, spanId, record.ParentSpanId, record.FunctionName, "Server", start, totalMs, failed, attributes) with { Phases = phases };
    }

    /// <summary>
    /// Where the invocation's span sits and what it folds, without building it: its start (before the queue wait and the
    /// init), its duration (the whole time from the front door to the answer), whether it failed, and how many phase spans
    /// it unfolds into. The store keeps these beside the record's own fields and builds the span when a trace is read.
    /// </summary>
    public static InvocationSpanShape Shape(InvocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var executed = Executed(record);
        var executionMs = executed ? record.DurationMs : 0;
        var totalMs = Math.Max(record.TotalMs, executionMs);
        var waitMs = Math.Max(0, totalMs - executionMs - (record.InitDurationMs ?? 0));
        var phases = (waitMs > 0 || !record.ColdStart ? 1 : 0) + (record.ColdStart ? 1 : 0) + (executed ? 1 : 0);
        return new InvocationSpanShape(record.StartedAt.AddMilliseconds(executionMs - totalMs), Math.Max(0, totalMs),
            record.Outcome != InvocationOutcome.Success, phases);
    }

    private static bool Executed(InvocationRecord record) => record.Outcome is not (InvocationOutcome.Throttled or InvocationOutcome.InitError);

    /// <summary>OpenTelemetry's <c>faas.trigger</c> for an invocation source.</summary>
    public static string Trigger(string? source) => source switch
    {
        "HttpRoute" => "http",
        "Async" or "Destination" => "pubsub",
        "QueueSource" => "datasource",
        "Schedule" => "timer",
        _ => "other",
    };

    private static SpanRecord Span(InvocationRecord record, string spanId, string? parent, string name, string kind, DateTimeOffset start,
        double durationMs, bool error, IReadOnlyDictionary<string, object?> attributes) =>
        new(record.TraceId!, spanId, parent, name, kind, start, Math.Max(0, durationMs), record.FunctionName, record.RequestId, error,
            error ? record.ErrorType : null, SpanRecord.PlatformOrigin, attributes);
}
