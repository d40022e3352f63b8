namespace Nimbus.Core.Alarms;

/// <summary>CloudWatch's <c>evaluateLowSampleCountPercentile</c>: what a percentile alarm does with a period that has
/// fewer than 10 / (1 − p) samples, too few for the percentile to mean much.</summary>
public enum LowSampleCountPercentile
{
    /// <summary>Evaluate the period like any other (the default).</summary>
    Evaluate,

    /// <summary>Skip the period; if every present period is skipped the alarm keeps its state.</summary>
    Ignore,
}
