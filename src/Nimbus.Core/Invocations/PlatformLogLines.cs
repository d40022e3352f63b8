using System.Globalization;

namespace Nimbus.Core.Invocations;

/// <summary>Lambda-style START / END / REPORT lines that frame every invocation's logs.</summary>
public static class PlatformLogLines
{
    public static string Start(string requestId, string version) => $"START RequestId: {requestId} Version: {version}";

    public static string End(string requestId) => $"END RequestId: {requestId}";

    /// <summary>Billed duration is the duration rounded up to the next millisecond, as Lambda bills.</summary>
    public static long BilledMs(double durationMs) => Math.Max(1, (long)Math.Ceiling(durationMs));

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
