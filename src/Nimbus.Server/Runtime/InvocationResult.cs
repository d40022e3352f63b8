using Nimbus.Core.Invocations;

namespace Nimbus.Server.Runtime;

/// <summary>How an invocation ended. Expected failures are values here, never exceptions.</summary>
public sealed class InvocationResult
{
    public required string RequestId { get; init; }
    public required InvocationOutcome Outcome { get; init; }

    /// <summary>The function's response, or Lambda's error JSON when <see cref="IsFunctionError"/>.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    public string? ErrorType { get; init; }
    public string? ExecutedVersion { get; init; }
    public bool ColdStart { get; init; }
    public double? InitDurationMs { get; init; }
    public double DurationMs { get; init; }
    public ThrottleReason ThrottleReason { get; init; }

    /// <summary>For throttles: the limit that was hit.</summary>
    public int Limit { get; init; }

    /// <summary>The invocation's log lines, when they were asked for.</summary>
    public string? LogTail { get; set; }

    /// <summary>The trace the invocation ran in (continued from the caller's traceparent, or started).</summary>
    public string? TraceId { get; set; }

    /// <summary>The most memory the instance used during the invocation, in MB.</summary>
    public long MaxMemoryUsedMb { get; set; }

    /// <summary>Set when the response is an idempotent replay: the request id of the invocation that produced it.</summary>
    public string? IdempotentReplayOf { get; init; }

    public bool IsFunctionError => Outcome is not (InvocationOutcome.Success or InvocationOutcome.Throttled);

    public static InvocationResult Throttled(string requestId, ThrottleReason reason, int limit) =>
        new() { RequestId = requestId, Outcome = InvocationOutcome.Throttled, ThrottleReason = reason, Limit = limit };
}
