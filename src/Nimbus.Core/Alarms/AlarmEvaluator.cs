namespace Nimbus.Core.Alarms;

/// <summary>
/// Decides an alarm's state from its datapoints, with CloudWatch's semantics (docs/alarms.md). Pure: the caller reads
/// the metric store and keeps state and history.
/// <list type="bullet">
/// <item>The range is the last <see cref="AlarmDefinition.EvaluationPeriods"/> whole periods that ended at or before
/// <c>now</c>, periods aligned to the Unix epoch.</item>
/// <item><c>breaching</c> / <c>notBreaching</c>: a missing period counts as breaching / not breaching.</item>
/// <item><c>missing</c> / <c>ignore</c>: missing periods are left out; of the P present ones, ALARM needs
/// min(M, P) breaching, else OK. With no period present <c>missing</c> goes INSUFFICIENT_DATA and <c>ignore</c> keeps
/// the current state.</item>
/// <item>A percentile alarm with <see cref="LowSampleCountPercentile.Ignore"/> skips periods with fewer than
/// 10 / (1 − p) samples; if that leaves none, the state is kept.</item>
/// </list>
/// </summary>
public static class AlarmEvaluator
{
    public static AlarmEvaluation Evaluate(
        AlarmDefinition alarm,
        AlarmState current,
        IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint> datapoints,
        DateTimeOffset now)
    {
        var points = Classify(alarm, datapoints, now);
        var breaching = points.Count(p => p.Verdict == DatapointVerdict.Breaching);
        var notBreaching = points.Count(p => p.Verdict == DatapointVerdict.NotBreaching);
        var counted = breaching + notBreaching;
        var n = alarm.EvaluationPeriods;

        if (counted == 0)
        {
            var lowSamples = points.Count(p => p.Verdict == DatapointVerdict.LowSampleCount);
            if (lowSamples > 0)
            {
                return new(current, $"Insufficient samples: {AlarmReasonText.Plural(lowSamples, "datapoint")} of the last {n} "
                    + $"had too few samples for {alarm.Statistic}; evaluateLowSampleCountPercentile is ignore, so the state stays "
                    + $"{AlarmStateNames.ToName(current)}.", points);
            }

            return alarm.TreatMissingData == TreatMissingData.Ignore
                ? new(current, $"No datapoints in the last {AlarmReasonText.Plural(n, "period")}; treatMissingData is ignore, "
                    + $"so the state stays {AlarmStateNames.ToName(current)}.", points)
                : new(AlarmState.InsufficientData, $"Insufficient Data: {AlarmReasonText.Plural(n, "datapoint")} "
                    + (n == 1 ? "was" : "were") + " unknown.", points);
        }

        var needed = Math.Min(alarm.DatapointsToAlarm, counted);
        var state = breaching >= needed ? AlarmState.Alarm : AlarmState.Ok;
        return new(state, Reason(alarm, current, state, points, breaching, notBreaching, counted), points);
    }

    /// <summary>The start of the newest period that has ended at or before <paramref name="now"/>.</summary>
    public static DateTimeOffset LatestCompletePeriodStart(TimeSpan period, DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var end = ticks - (ticks % period.Ticks);
        return DateTimeOffset.UnixEpoch.AddTicks(end) - period;
    }

    /// <summary>Whether <paramref name="value"/> breaches the threshold by the alarm's comparison.</summary>
    public static bool IsBreaching(ComparisonOperator comparison, double value, double threshold) => comparison switch
    {
        ComparisonOperator.GreaterThanOrEqualToThreshold => value >= threshold,
        ComparisonOperator.GreaterThanThreshold => value > threshold,
        ComparisonOperator.LessThanThreshold => value < threshold,
        _ => value <= threshold,
    };

    /// <summary>CloudWatch's low-sample rule: a pNN needs at least 10 / (1 − NN/100) samples to be evaluated.</summary>
    public static bool HasTooFewSamples(AlarmStatistic statistic, long? sampleCount)
    {
        if (statistic.Percentile is not { } p || sampleCount is not { } count || p >= 100)
        {
            return false;
        }

        // Rounded so p90 needs exactly 100 samples, not 100.00000000000001.
        return count < Math.Round(1000 / (100 - p), 6);
    }

    private static List<EvaluatedDatapoint> Classify(
        AlarmDefinition alarm, IReadOnlyDictionary<DateTimeOffset, AlarmDatapoint> datapoints, DateTimeOffset now)
    {
        var points = new List<EvaluatedDatapoint>(alarm.EvaluationPeriods);
        var start = LatestCompletePeriodStart(alarm.Period, now);
        for (var i = 0; i < alarm.EvaluationPeriods; i++, start -= alarm.Period)
        {
            if (datapoints.TryGetValue(start, out var point) && !double.IsNaN(point.Value))
            {
                var verdict = alarm.LowSampleCountPercentile == LowSampleCountPercentile.Ignore
                    && HasTooFewSamples(alarm.Statistic, point.SampleCount)
                        ? DatapointVerdict.LowSampleCount
                        : IsBreaching(alarm.Comparison, point.Value, alarm.Threshold)
                            ? DatapointVerdict.Breaching
                            : DatapointVerdict.NotBreaching;
                points.Add(new(start, point.Value, verdict));
            }
            else
            {
                points.Add(new(start, null, alarm.TreatMissingData switch
                {
                    TreatMissingData.Breaching => DatapointVerdict.Breaching,
                    TreatMissingData.NotBreaching => DatapointVerdict.NotBreaching,
                    _ => DatapointVerdict.Missing,
                }));
            }
        }

        return points;
    }

    private static string Reason(
        AlarmDefinition alarm, AlarmState current, AlarmState state, List<EvaluatedDatapoint> points,
        int breaching, int notBreaching, int counted)
    {
        var alarming = state == AlarmState.Alarm;
        var count = alarming ? breaching : notBreaching;
        var wanted = alarming ? DatapointVerdict.Breaching : DatapointVerdict.NotBreaching;
        var listed = string.Join(", ", points.Where(p => p.Verdict == wanted && p.Value is not null).Select(AlarmReasonText.Datapoint));
        var substituted = points.Count(p => p.Verdict == wanted && p.Value is null);
        var verb = count == 1 ? "was" : "were";
        var negation = alarming ? "" : "not ";
        var text = $"Threshold Crossed: {count} out of the last {AlarmReasonText.Plural(counted, "datapoint")} "
            + (listed.Length > 0 ? $"[{listed}] " : "") + $"{verb} {negation}{AlarmReasonText.Comparison(alarm.Comparison)} the threshold "
            + $"({AlarmReasonText.Number(alarm.Threshold)})";
        if (substituted > 0)
        {
            text += $" ({AlarmReasonText.Plural(substituted, "missing datapoint")} treated as {(alarming ? "breaching" : "not breaching")})";
        }

        var needed = alarming ? Math.Min(alarm.DatapointsToAlarm, counted) : 1;
        var from = AlarmStateNames.ToName(current);
        var to = AlarmStateNames.ToName(state);
        return current == state
            ? text + "."
            : text + $" (minimum {AlarmReasonText.Plural(needed, "datapoint")} for {from} -> {to} transition).";
    }
}
