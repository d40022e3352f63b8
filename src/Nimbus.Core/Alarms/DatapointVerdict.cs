namespace Nimbus.Core.Alarms;

/// <summary>How one period counted in an evaluation.</summary>
public enum DatapointVerdict
{
    Breaching,
    NotBreaching,

    /// <summary>No data and not substituted (treatMissingData missing or ignore).</summary>
    Missing,

    /// <summary>A percentile from too few samples, skipped (evaluateLowSampleCountPercentile ignore).</summary>
    LowSampleCount,
}
