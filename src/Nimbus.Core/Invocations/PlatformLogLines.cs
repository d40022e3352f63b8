using System.Globalization;

namespace Nimbus.Core.Invocations;

/// <summary>Lambda-style START / END / REPORT lines that frame every invocation's logs.</summary>
public static class PlatformLogLines
{
    public static string Start(string requestId, string version) => $"START RequestId: {requestId} Version: {version}";

    public static string End(string requestId) => $"END RequestId: {requestId}";

    /// <summary>Billed duration is the duration rounded up to the next millisecond, as Lambda bills.</summary>
    public static long BilledMs(double durationMs) => Math.Max(1, (long)Math.Ceiling(durationMs));

    /// <summary>
    /// The REPORT line's <c>Status</c> for an outcome: none for a success or a function error (as Lambda), else
    /// <c>timeout</c> or <c>error</c> with the error type.
    /// </summary>
    public static string? Status(InvocationOutcome outcome, string? errorType) => outcome switch
    {
        InvocationOutcome.Success or InvocationOutcome.FunctionError => null,
        InvocationOutcome.Timeout => "timeout",
        InvocationOutcome.OutOfMemory => "error\tError Type: Runtime.OutOfMemory",
        _ => "error\tError Type: " + errorType,
    };

    /// <summary>
    /// The REPORT line an invocation's record describes: what the server writes when the record and the line agree,
    /// which lets a store keep the record's fields and build the line again when it is read.
    /// </summary>
    public static string Report(InvocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Report(record.RequestId, record.DurationMs, record.MemorySizeMb, record.MaxMemoryUsedMb, record.InitDurationMs,
            Status(record.Outcome, record.ErrorType));
    }

    public static string Report(string requestId, double durationMs, int memorySizeMb, long maxMemoryUsedMb, double? initDurationMs, string? status)
    {
        var inv = CultureInfo.InvariantCulture;
        var line = string.Create(inv,
            $"REPORT RequestId: {requestId}\tDuration: {durationMs:F2} ms\tBilled Duration: {BilledMs(durationMs)} ms\tMemory Size: {memorySizeMb} MB\tMax Memory Used: {maxMemoryUsedMb} MB");
        if (initDurationMs is { } init)
        {
            line += string.Create(inv, $"\tInit Duration: {init:F2} ms");
        }

        if (status is not null)
        {
            line += $"\tStatus: {status}";
        }

        return line;
    }
}
