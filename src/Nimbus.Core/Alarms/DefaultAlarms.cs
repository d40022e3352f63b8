using Nimbus.Core.Functions;

namespace Nimbus.Core.Alarms;

/// <summary>
/// The alarms every function gets with no configuration (docs/alarms.md explains each threshold), tuned or switched
/// off by the manifest's <c>defaultAlarms:</c> map. Thresholds of <see cref="DefaultAlarmKeys.Duration"/> and
/// <see cref="DefaultAlarmKeys.Concurrency"/> are percentages of the function's timeout and reserved concurrency;
/// the concurrency alarm exists only for a function with a reservation above zero. Pure.
/// </summary>
public static class DefaultAlarms
{
    // The async work's metrics: a function never invoked asynchronously has no data for them.
    public const string DeadLetteredMetric = Metrics.MetricNames.DeadLettered;
    public const string AsyncEventAgeMetric = Metrics.MetricNames.AsyncEventAge;

    public const double ErrorRatePercent = 5;
    public const double DurationPercentOfTimeout = 80;
    public const double ConcurrencyPercentOfReservation = 90;
    public static readonly TimeSpan AsyncEventAgeLimit = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<AlarmDefinition> For(FunctionConfig function, IReadOnlyDictionary<string, DefaultAlarmOverride>? overrides = null)
    {
        var alarms = new List<AlarmDefinition>();
        foreach (var key in DefaultAlarmKeys.All)
        {
            var change = overrides?.GetValueOrDefault(key);
            if (change is { Enabled: false } || Default(function, key, change?.Threshold) is not { } alarm)
            {
                continue;
            }

            alarms.Add(change is null ? alarm : Apply(alarm, change));
        }

        return alarms;
    }

    private static AlarmDefinition? Default(FunctionConfig function, string key, double? threshold)
    {
        var name = DefaultAlarmKeys.AlarmName(function.Name, key);
        var dimensions = new AlarmDimensions(function.Name);
        return key switch
        {
            DefaultAlarmKeys.ErrorRate => new AlarmDefinition(
                name, dimensions, AlarmMetric.Percent(Metric.Errors, Metric.Invocations), AlarmStatistic.Sum, Minute, 3, 3,
                ComparisonOperator.GreaterThanOrEqualToThreshold, threshold ?? ErrorRatePercent, TreatMissingData.NotBreaching)
            {
                Description = $"At least {threshold ?? ErrorRatePercent}% of {function.Name}'s invocations failed in each of the last 3 minutes.",
            },
            DefaultAlarmKeys.Throttles => new AlarmDefinition(
                name, dimensions, AlarmMetric.Single(Metric.Throttles), AlarmStatistic.Sum, Minute, 1, 1,
                ComparisonOperator.GreaterThanOrEqualToThreshold, threshold ?? 1, TreatMissingData.NotBreaching)
            {
                Description = $"{function.Name} turned invocations away for lack of concurrency in the last minute.",
            },
            DefaultAlarmKeys.Duration => new AlarmDefinition(
                name, dimensions, AlarmMetric.Single(Metric.Duration), new AlarmStatistic("p99", 99), Minute, 3, 3,
                ComparisonOperator.GreaterThanOrEqualToThreshold,
                function.TimeoutSeconds * 1000 * (threshold ?? DurationPercentOfTimeout) / 100, TreatMissingData.NotBreaching)
            {
                Description = $"{function.Name}'s p99 duration reached {threshold ?? DurationPercentOfTimeout}% of its "
                    + $"{function.TimeoutSeconds}s timeout for 3 minutes: slow invocations are about to time out.",
            },
            DefaultAlarmKeys.InitFailures => new AlarmDefinition(
                name, dimensions, AlarmMetric.Single(Metric.Invocations, "outcome=InitError"), AlarmStatistic.Sum, Minute, 1, 1,
                ComparisonOperator.GreaterThanOrEqualToThreshold, threshold ?? 1, TreatMissingData.NotBreaching)
            {
                Description = $"{function.Name} failed to initialise (its init code threw or its runtime did not start).",
            },
            DefaultAlarmKeys.DeadLettered => new AlarmDefinition(
                name, dimensions, AlarmMetric.Single(DeadLetteredMetric), AlarmStatistic.Sum, Minute, 1, 1,
                ComparisonOperator.GreaterThanOrEqualToThreshold, threshold ?? 1, TreatMissingData.NotBreaching)
            {
                Description = $"An asynchronous event for {function.Name} ran out of retries and was dead-lettered.",
            },
            DefaultAlarmKeys.AsyncEventAge => new AlarmDefinition(
                name, dimensions, AlarmMetric.Single(AsyncEventAgeMetric), AlarmStatistic.Maximum, Minute, 3, 3,
                ComparisonOperator.GreaterThanOrEqualToThreshold, threshold ?? AsyncEventAgeLimit.TotalMilliseconds,
                TreatMissingData.NotBreaching)
            {
                Description = $"{function.Name}'s oldest queued asynchronous event has waited longer than the threshold for 3 minutes.",
            },
            DefaultAlarmKeys.Concurrency when function.ReservedConcurrency is > 0 and var reserved => new AlarmDefinition(
                name, dimensions, AlarmMetric.Single(Metric.ConcurrentExecutions), AlarmStatistic.Maximum, Minute, 3, 3,
                ComparisonOperator.GreaterThanOrEqualToThreshold, reserved * (threshold ?? ConcurrencyPercentOfReservation) / 100,
                TreatMissingData.NotBreaching)
            {
                Description = $"{function.Name} used at least {threshold ?? ConcurrencyPercentOfReservation}% of its reserved "
                    + $"concurrency ({reserved}) for 3 minutes: throttles are next.",
            },
            _ => null,
        };
    }

    private static AlarmDefinition Apply(AlarmDefinition alarm, DefaultAlarmOverride change)
    {
        var periods = change.EvaluationPeriods ?? alarm.EvaluationPeriods;
        return alarm with
        {
            Period = change.Period ?? alarm.Period,
            EvaluationPeriods = periods,
            // Shortening N keeps M within it unless M was given.
            DatapointsToAlarm = change.DatapointsToAlarm ?? Math.Min(alarm.DatapointsToAlarm, periods),
            TreatMissingData = change.TreatMissingData ?? alarm.TreatMissingData,
        };
    }

    /// <summary>The metric store's short names (issue 9) the defaults read.</summary>
    private static class Metric
    {
        public const string Invocations = "invocations";
        public const string Errors = "errors";
        public const string Throttles = "throttles";
        public const string Duration = "duration";
        public const string ConcurrentExecutions = "concurrentExecutions";
    }
}
