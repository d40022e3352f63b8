namespace Nimbus.Core.Invocations;

/// <summary>
/// The values an invocation's REPORT line was built from, and the line (<see cref="PlatformLogLines.Report(string, double, int, long, double?, string?)"/>).
/// The END record carries it to the store, which keeps no text for a REPORT its invocation record gives again: with the
/// values at hand that is a few comparisons instead of building the line a second time (docs/design/warm-path.md,
/// "REPORT lines built on read").
/// </summary>
public sealed class InvocationReport
{
    public InvocationReport(string requestId, double durationMs, int memorySizeMb, long maxMemoryUsedMb, double? initDurationMs, string? status)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        RequestId = requestId;
        DurationMs = durationMs;
        MemorySizeMb = memorySizeMb;
        MaxMemoryUsedMb = maxMemoryUsedMb;
        InitDurationMs = initDurationMs;
        Status = status;
        Line = PlatformLogLines.Report(requestId, durationMs, memorySizeMb, maxMemoryUsedMb, initDurationMs, status);
    }

    public string RequestId { get; }

    public double DurationMs { get; }

    public int MemorySizeMb { get; }

    public long MaxMemoryUsedMb { get; }

    public double? InitDurationMs { get; }

    public string? Status { get; }

    /// <summary>The REPORT line of these values.</summary>
    public string Line { get; }

    /// <summary>
    /// Whether <see cref="PlatformLogLines.Report(InvocationRecord)"/> of the record is <see cref="Line"/>: the same
    /// values, durations bit for bit (0 and -0 print differently).
    /// </summary>
    public bool Describes(InvocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Equals(RequestId, record.RequestId, StringComparison.Ordinal)
            && SameBits(DurationMs, record.DurationMs)
            && MemorySizeMb == record.MemorySizeMb
            && MaxMemoryUsedMb == record.MaxMemoryUsedMb
            && InitDurationMs.HasValue == record.InitDurationMs.HasValue
            && (InitDurationMs is not { } init || SameBits(init, record.InitDurationMs!.Value))
            && string.Equals(Status, PlatformLogLines.Status(record.Outcome, record.ErrorType), StringComparison.Ordinal);
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
