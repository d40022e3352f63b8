using Nimbus.Core.Alarms;

namespace Nimbus.Core.Tests.Alarms;

public sealed class AlarmEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    // With 1-minute periods and now = 20:03:00 the range of 3 is 20:02, 20:01, 20:00.
    private static readonly DateTimeOffset Now = T0.AddMinutes(3);

    private static AlarmDefinition Alarm(
        int evaluationPeriods = 3,
        int datapointsToAlarm = 2,
        ComparisonOperator comparison = ComparisonOperator.GreaterThanOrEqualToThreshold,
        double threshold = 1,
        TreatMissingData missing = TreatMissingData.Missing,
        string statistic = "Sum") =>
        new(
            "checkout-errors",
            new AlarmDimensions("checkout"),
            AlarmMetric.Single("errors"),
            AlarmStatistic.TryParse(statistic, out var s) ? s : throw new ArgumentException(statistic),
            TimeSpan.FromMinutes(1),
            evaluationPeriods,
            datapointsToAlarm,
            comparison,
            threshold,
            missing);

    /// <summary>Values for the minutes starting at T0, T0+1m, …; null leaves that minute missing.</summary>
    private static Dictionary<DateTimeOffset, AlarmDatapoint> Points(params double?[] values)
    {
        var points = new Dictionary<DateTimeOffset, AlarmDatapoint>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                points[T0.AddMinutes(i)] = new AlarmDatapoint(v);
            }
        }

        return points;
    }

    [Fact]
    public void Evaluate_WhenMOfNDatapointsBreach_GoesToAlarmNamingTheBreachingDatapoints()
    {
        var result = AlarmEvaluator.Evaluate(Alarm(), AlarmState.Ok, Points(5, 0, 3), Now);

        Assert.Equal(AlarmState.Alarm, result.State);
        Assert.Equal(
            "Threshold Crossed: 2 out of the last 3 datapoints [3.0 (01/12/26 20:02:00), 5.0 (01/12/26 20:00:00)] were greater "
            + "than or equal to the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).",
            result.Reason);
        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(1), T0], result.Datapoints.Select(p => p.PeriodStart));
        Assert.Equal(
            [DatapointVerdict.Breaching, DatapointVerdict.NotBreaching, DatapointVerdict.Breaching],
            result.Datapoints.Select(p => p.Verdict));
    }

    [Fact]
    public void Evaluate_WhenFewerThanMDatapointsBreach_GoesToOkNamingTheOthers()
    {
        var result = AlarmEvaluator.Evaluate(Alarm(), AlarmState.Alarm, Points(0, 0.5, 3), Now);

        Assert.Equal(AlarmState.Ok, result.State);
        Assert.Equal(
            "Threshold Crossed: 2 out of the last 3 datapoints [0.5 (01/12/26 20:01:00), 0.0 (01/12/26 20:00:00)] were not "
            + "greater than or equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition).",
            result.Reason);
    }

    [Fact]
    public void Evaluate_WhenStateDoesNotChange_ReasonHasNoTransition()
    {
        var result = AlarmEvaluator.Evaluate(Alarm(evaluationPeriods: 1, datapointsToAlarm: 1), AlarmState.Alarm, Points(0, 0, 4), Now);

        Assert.Equal(AlarmState.Alarm, result.State);
        Assert.Equal(
            "Threshold Crossed: 1 out of the last 1 datapoint [4.0 (01/12/26 20:02:00)] was greater than or equal to the threshold (1.0).",
            result.Reason);
    }

    [Fact]
    public void Evaluate_WhenMIsAllOfN_OneGoodDatapointKeepsItOk()
    {
        var threeOfThree = Alarm(datapointsToAlarm: 3);

        Assert.Equal(AlarmState.Ok, AlarmEvaluator.Evaluate(threeOfThree, AlarmState.Ok, Points(5, 0, 5), Now).State);
        Assert.Equal(AlarmState.Alarm, AlarmEvaluator.Evaluate(threeOfThree, AlarmState.Ok, Points(5, 2, 5), Now).State);
    }

    [Fact]
    public void Evaluate_OnlyLooksAtTheLastNCompletePeriods()
    {
        // 19:59 breaches but is outside the range; 20:03 is the period still in progress at 20:03:00.
        var points = Points(0, 0, 0);
        points[T0.AddMinutes(-1)] = new AlarmDatapoint(9);
        points[T0.AddMinutes(3)] = new AlarmDatapoint(9);

        var result = AlarmEvaluator.Evaluate(Alarm(datapointsToAlarm: 1), AlarmState.Ok, points, Now.AddSeconds(59));

        Assert.Equal(AlarmState.Ok, result.State);
        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(1), T0], result.Datapoints.Select(p => p.PeriodStart));
    }

    [Theory]
    [InlineData(ComparisonOperator.GreaterThanOrEqualToThreshold, 1.0, true)]
    [InlineData(ComparisonOperator.GreaterThanOrEqualToThreshold, 0.99, false)]
    [InlineData(ComparisonOperator.GreaterThanThreshold, 1.0, false)]
    [InlineData(ComparisonOperator.GreaterThanThreshold, 1.01, true)]
    [InlineData(ComparisonOperator.LessThanThreshold, 1.0, false)]
    [InlineData(ComparisonOperator.LessThanThreshold, 0.99, true)]
    [InlineData(ComparisonOperator.LessThanOrEqualToThreshold, 1.0, true)]
    [InlineData(ComparisonOperator.LessThanOrEqualToThreshold, 1.01, false)]
    public void Evaluate_EachComparison_BreachesExactlyOnItsSideOfTheThreshold(ComparisonOperator comparison, double value, bool breaches)
    {
        var alarm = Alarm(evaluationPeriods: 1, datapointsToAlarm: 1, comparison: comparison, threshold: 1);

        var result = AlarmEvaluator.Evaluate(alarm, AlarmState.InsufficientData, Points(null, null, value), Now);

        Assert.Equal(breaches ? AlarmState.Alarm : AlarmState.Ok, result.State);
    }

    [Theory]
    [InlineData(ComparisonOperator.GreaterThanThreshold, "greater than")]
    [InlineData(ComparisonOperator.LessThanThreshold, "less than")]
    [InlineData(ComparisonOperator.LessThanOrEqualToThreshold, "less than or equal to")]
    public void Evaluate_Reason_NamesTheComparison(ComparisonOperator comparison, string words)
    {
        var alarm = Alarm(evaluationPeriods: 1, datapointsToAlarm: 1, comparison: comparison, threshold: 2.5);

        var result = AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, Points(null, null, 1), Now);

        Assert.Contains($" {words} the threshold (2.5)", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AlarmState.Ok)]
    [InlineData(AlarmState.Alarm)]
    public void Evaluate_TreatMissing_WhenEveryDatapointIsMissing_GoesToInsufficientData(AlarmState current)
    {
        var result = AlarmEvaluator.Evaluate(Alarm(), current, Points(), Now);

        Assert.Equal(AlarmState.InsufficientData, result.State);
        Assert.Equal("Insufficient Data: 3 datapoints were unknown.", result.Reason);
        Assert.All(result.Datapoints, p => Assert.Equal(DatapointVerdict.Missing, p.Verdict));
    }

    [Fact]
    public void Evaluate_TreatMissing_WithFewerPresentThanM_AlarmsWhenAllPresentBreach()
    {
        // 3 of 3, but only 20:02 has data: the alarm needs min(3, 1) = 1 breaching datapoint.
        var result = AlarmEvaluator.Evaluate(Alarm(datapointsToAlarm: 3), AlarmState.Ok, Points(null, null, 2), Now);

        Assert.Equal(AlarmState.Alarm, result.State);
        Assert.Equal(
            "Threshold Crossed: 1 out of the last 1 datapoint [2.0 (01/12/26 20:02:00)] was greater than or equal to the "
            + "threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).",
            result.Reason);
    }

    [Fact]
    public void Evaluate_TreatMissing_IgnoresMissingPeriodsRatherThanCountingThem()
    {
        // 2 of 3 with 20:01 missing: 1 of the 2 present breaches, fewer than min(2, 2).
        var result = AlarmEvaluator.Evaluate(Alarm(), AlarmState.Alarm, Points(0, null, 3), Now);

        Assert.Equal(AlarmState.Ok, result.State);
        Assert.Equal(DatapointVerdict.Missing, result.Datapoints[1].Verdict);
    }

    [Fact]
    public void Evaluate_TreatNotBreaching_CountsMissingAsGood()
    {
        var alarm = Alarm(missing: TreatMissingData.NotBreaching);

        Assert.Equal(AlarmState.Ok, AlarmEvaluator.Evaluate(alarm, AlarmState.InsufficientData, Points(), Now).State);
        var oneBad = AlarmEvaluator.Evaluate(alarm, AlarmState.Alarm, Points(null, null, 3), Now);
        Assert.Equal(AlarmState.Ok, oneBad.State);
        Assert.Equal(
            "Threshold Crossed: 2 out of the last 3 datapoints were not greater than or equal to the threshold (1.0) "
            + "(2 missing datapoints treated as not breaching) (minimum 1 datapoint for ALARM -> OK transition).",
            oneBad.Reason);
    }

    [Fact]
    public void Evaluate_TreatBreaching_CountsMissingAsBad()
    {
        var alarm = Alarm(datapointsToAlarm: 3, missing: TreatMissingData.Breaching);

        Assert.Equal(AlarmState.Alarm, AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, Points(), Now).State);
        var result = AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, Points(null, 4, null), Now);
        Assert.Equal(AlarmState.Alarm, result.State);
        Assert.Equal(
            "Threshold Crossed: 3 out of the last 3 datapoints [4.0 (01/12/26 20:01:00)] were greater than or equal to the "
            + "threshold (1.0) (2 missing datapoints treated as breaching) (minimum 3 datapoints for OK -> ALARM transition).",
            result.Reason);
        Assert.Equal(AlarmState.Ok, AlarmEvaluator.Evaluate(alarm, AlarmState.Alarm, Points(null, 0, null), Now).State);
    }

    [Theory]
    [InlineData(AlarmState.Ok)]
    [InlineData(AlarmState.Alarm)]
    [InlineData(AlarmState.InsufficientData)]
    public void Evaluate_TreatIgnore_WhenEveryDatapointIsMissing_KeepsTheCurrentState(AlarmState current)
    {
        var result = AlarmEvaluator.Evaluate(Alarm(missing: TreatMissingData.Ignore), current, Points(), Now);

        Assert.Equal(current, result.State);
        Assert.Equal(
            $"No datapoints in the last 3 periods; treatMissingData is ignore, so the state stays {AlarmStateNames.ToName(current)}.",
            result.Reason);
    }

    [Fact]
    public void Evaluate_TreatIgnore_WithSomeDatapoints_EvaluatesThePresentOnes()
    {
        var alarm = Alarm(missing: TreatMissingData.Ignore);

        Assert.Equal(AlarmState.Alarm, AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, Points(null, 2, 2), Now).State);
        Assert.Equal(AlarmState.Ok, AlarmEvaluator.Evaluate(alarm, AlarmState.Alarm, Points(null, 0, 2), Now).State);
    }

    [Fact]
    public void Evaluate_PercentileStatistic_ComparesThePercentileValue()
    {
        var alarm = Alarm(evaluationPeriods: 2, datapointsToAlarm: 2, threshold: 800, statistic: "p99");
        var points = new Dictionary<DateTimeOffset, AlarmDatapoint>
        {
            [T0.AddMinutes(1)] = new(850, 2000),
            [T0.AddMinutes(2)] = new(812.5, 2000),
        };

        var result = AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, points, Now);

        Assert.Equal(AlarmState.Alarm, result.State);
        Assert.Contains("[812.5 (01/12/26 20:02:00), 850.0 (01/12/26 20:01:00)]", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PercentileWithLowSampleCountIgnore_KeepsStateWhenEveryPeriodHasTooFewSamples()
    {
        // p99 needs 10 / (1 - 0.99) = 1000 samples.
        var alarm = Alarm(evaluationPeriods: 2, datapointsToAlarm: 1, threshold: 800, statistic: "p99")
            with { LowSampleCountPercentile = LowSampleCountPercentile.Ignore };
        var few = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0.AddMinutes(2)] = new(5000, 999) };
        var enough = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0.AddMinutes(2)] = new(5000, 1000) };

        var kept = AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, few, Now);
        Assert.Equal(AlarmState.Ok, kept.State);
        Assert.Equal(DatapointVerdict.LowSampleCount, kept.Datapoints[0].Verdict);
        Assert.StartsWith("Insufficient samples: 1 datapoint of the last 2 had too few samples for p99", kept.Reason, StringComparison.Ordinal);
        Assert.Equal(AlarmState.Alarm, AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, enough, Now).State);
    }

    [Fact]
    public void Evaluate_PercentileWithLowSampleCountEvaluate_UsesThePeriodAnyway()
    {
        var alarm = Alarm(evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 800, statistic: "p99");
        var few = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0.AddMinutes(2)] = new(5000, 3) };

        Assert.Equal(AlarmState.Alarm, AlarmEvaluator.Evaluate(alarm, AlarmState.Ok, few, Now).State);
    }

    [Theory]
    [InlineData(90, 99, true)]
    [InlineData(90, 100, false)]
    [InlineData(50, 19, true)]
    [InlineData(50, 20, false)]
    [InlineData(100, 1, false)]
    public void HasTooFewSamples_FollowsTenOverOneMinusP(double percentile, long samples, bool tooFew) =>
        Assert.Equal(tooFew, AlarmEvaluator.HasTooFewSamples(new AlarmStatistic($"p{percentile}", percentile), samples));

    [Fact]
    public void HasTooFewSamples_IsFalseForNonPercentileStatistics() =>
        Assert.False(AlarmEvaluator.HasTooFewSamples(AlarmStatistic.Average, 1));

    [Theory]
    [InlineData("2026-12-01T20:03:00Z", 60, "2026-12-01T20:02:00Z")]
    [InlineData("2026-12-01T20:03:59.999Z", 60, "2026-12-01T20:02:00Z")]
    [InlineData("2026-12-01T20:03:15Z", 10, "2026-12-01T20:03:00Z")]
    [InlineData("2026-12-01T20:59:59Z", 3600, "2026-12-01T19:00:00Z")]
    public void LatestCompletePeriodStart_IsThePeriodThatLastEnded(string now, int periodSeconds, string expected) =>
        Assert.Equal(
            DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            AlarmEvaluator.LatestCompletePeriodStart(TimeSpan.FromSeconds(periodSeconds), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
}
