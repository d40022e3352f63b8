namespace Nimbus.Core.Alarms;

/// <summary>Combines the two series of a rate metric (<see cref="AlarmMetric.IsRate"/>) into its datapoints. Pure.</summary>
public static class AlarmMetricMath
{
    /// <summary>Per period of <paramref name="denominators"/> with a value above zero: <c>scale × numerator / denominator</c>,
    /// a missing numerator counting as 0 (a counter with no samples had no events). Other periods are missing.
    /// The sample count of each result is the denominator's value (the number of invocations it rates).</summary>
    public static IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint> Rate(
        IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint> numerators,
        IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint> denominators,
        double scale)
    {
        var result = new Dictionary<DateTimeOffset, AlarmDatapoint>();
        foreach (var (start, denominator) in denominators)
        {
            if (denominator.Value <= 0 || double.IsNaN(denominator.Value))
            {
                continue;
            }

            var numerator = numerators.TryGetValue(start, out var n) ? n.Value : 0;
            result[start] = new AlarmDatapoint(scale * numerator / denominator.Value, (long)Math.Round(denominator.Value));
        }

        return result;
    }
}
