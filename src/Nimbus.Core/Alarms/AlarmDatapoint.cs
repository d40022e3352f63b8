namespace Nimbus.Core.Alarms;

/// <summary>The statistic's value for one period; <paramref name="SampleCount"/> is how many samples it summarises, when
/// known (a percentile alarm may ignore periods with too few samples).</summary>
public readonly record struct AlarmDatapoint(double Value, long? SampleCount = null);
