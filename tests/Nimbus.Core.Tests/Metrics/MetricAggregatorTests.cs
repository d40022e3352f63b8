using Nimbus.Core.Invocations;
using Nimbus.Core.Metrics;

namespace Nimbus.Core.Tests.Metrics;

public sealed class MetricAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Any = MetricSeriesKey.Any;

    private static InvocationRecord Record(InvocationOutcome outcome, double durationMs, DateTimeOffset at, string version = "1", string? alias = null,
        bool cold = false, double? initMs = null, string? errorType = null, long memoryUsedMb = 40, int memorySizeMb = 128) =>
        new(Guid.NewGuid().ToString(), "fn", version, alias, at, durationMs, initMs, cold, outcome, errorType, memoryUsedMb, null, memorySizeMb);

    private static Dictionary<(MetricSeriesKey, int, long), MetricStatistics> Drain(MetricAggregator aggregator) =>
        aggregator.Drain().ToDictionary(b => (b.Key, b.PeriodSeconds, b.Start), b => b.Statistics);

    private static MetricStatistics Get(Dictionary<(MetricSeriesKey, int, long), MetricStatistics> buckets, string metric, int period = 10,
        string version = Any, string alias = Any, string dimension = "", DateTimeOffset? at = null) =>
        buckets[(new MetricSeriesKey("fn", version, alias, metric, dimension), period, MetricPeriods.BucketStart(at ?? T0, period))];

    [Fact]
    public void Add_KnownMixOfOutcomes_GivesExactCountsPerMetric()
    {
        var aggregator = new MetricAggregator();
        aggregator.Add(Record(InvocationOutcome.Success, 10.2, T0, cold: true, initMs: 250));
        aggregator.Add(Record(InvocationOutcome.Success, 20, T0.AddSeconds(1)));
        aggregator.Add(Record(InvocationOutcome.Success, 30, T0.AddSeconds(2)));
        aggregator.Add(Record(InvocationOutcome.FunctionError, 5, T0.AddSeconds(3), errorType: "Error"));
        aggregator.Add(Record(InvocationOutcome.Timeout, 1000, T0.AddSeconds(4), errorType: ErrorTypes.Timeout));
        aggregator.Add(Record(InvocationOutcome.Throttled, 0, T0.AddSeconds(5), errorType: "ReservedConcurrency"));

        var buckets = Drain(aggregator);

        Assert.Equal(5, Get(buckets, MetricNames.Invocations).Sum);
        Assert.Equal(3, Get(buckets, MetricNames.Invocations, dimension: "outcome=Success").Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Invocations, dimension: "outcome=Timeout").Sum);
        var errors = Get(buckets, MetricNames.Errors);
        Assert.Equal(2, errors.Sum);
        Assert.Equal(0.4, errors.Sum / errors.SampleCount, 10); // Average = error rate
        Assert.Equal(1, Get(buckets, MetricNames.Errors, dimension: "errorType=Error").Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Errors, dimension: "errorType=" + ErrorTypes.Timeout).Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Throttles).Sum);
        Assert.Equal(1, Get(buckets, MetricNames.ColdStarts).Sum);
        Assert.Equal(5, Get(buckets, MetricNames.ColdStarts).SampleCount);
        Assert.Equal(1, Get(buckets, MetricNames.InitDuration).SampleCount);
        Assert.Equal(250, Get(buckets, MetricNames.InitDuration).Maximum);
        var duration = Get(buckets, MetricNames.Duration);
        Assert.Equal(5, duration.SampleCount);
        Assert.Equal(1065.2, duration.Sum, 10);
        Assert.Equal(5, duration.Minimum);
        Assert.Equal(1000, duration.Maximum);
        Assert.Equal(1, Get(buckets, MetricNames.Duration, dimension: "start=cold").SampleCount);
        Assert.Equal(4, Get(buckets, MetricNames.Duration, dimension: "start=warm").SampleCount);
        // Billed: 11 + 20 + 30 + 5 + 1000 ms (rounded up to the millisecond).
        Assert.Equal(1066, Get(buckets, MetricNames.BilledDuration).Sum);
        Assert.Equal(1066 / 1000.0 * 128 / 1024, Get(buckets, MetricNames.GbSeconds).Sum, 12);
        Assert.Equal(40, Get(buckets, MetricNames.MaxMemoryUsed).Maximum);
    }

    [Fact]
    public void Add_InitError_CountsInvocationErrorAndColdStartButNoDuration()
    {
        var aggregator = new MetricAggregator();
        aggregator.Add(Record(InvocationOutcome.InitError, 0, T0, cold: true, errorType: ErrorTypes.InitError, memoryUsedMb: 0));

        var buckets = Drain(aggregator);

        Assert.Equal(1, Get(buckets, MetricNames.Invocations).Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Errors).Sum);
        Assert.Equal(1, Get(buckets, MetricNames.ColdStarts).Sum);
        Assert.False(buckets.ContainsKey((new MetricSeriesKey("fn", Any, Any, MetricNames.Duration, ""), 10, MetricPeriods.BucketStart(T0, 10))));
    }

    [Fact]
    public void Add_RecordWithVersionAndAlias_CountsInFunctionVersionAliasAndVersionWithinAliasSeries()
    {
        var aggregator = new MetricAggregator();
        aggregator.Add(Record(InvocationOutcome.Success, 1, T0, version: "2", alias: "live"));
        aggregator.Add(Record(InvocationOutcome.Success, 1, T0, version: "3", alias: "live"));
        aggregator.Add(Record(InvocationOutcome.Success, 1, T0, version: "3"));

        var buckets = Drain(aggregator);

        Assert.Equal(3, Get(buckets, MetricNames.Invocations).Sum);
        Assert.Equal(2, Get(buckets, MetricNames.Invocations, version: "3").Sum);
        Assert.Equal(2, Get(buckets, MetricNames.Invocations, alias: "live").Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Invocations, version: "3", alias: "live").Sum);
    }

    [Fact]
    public void Drain_RollsTenSecondBucketsIntoTheMinuteAndHourExactly()
    {
        var aggregator = new MetricAggregator();
        for (var second = 0; second < 60; second++)
        {
            aggregator.Add(Record(InvocationOutcome.Success, second + 1, T0.AddSeconds(second)));
        }

        var buckets = Drain(aggregator);

        for (var tens = 0; tens < 6; tens++)
        {
            Assert.Equal(10, Get(buckets, MetricNames.Invocations, at: T0.AddSeconds(tens * 10)).Sum);
        }

        var minute = Get(buckets, MetricNames.Duration, period: 60);
        Assert.Equal(60, minute.SampleCount);
        Assert.Equal(1, minute.Minimum);
        Assert.Equal(60, minute.Maximum);
        Assert.Equal(60, minute.Histogram!.TotalCount);
        Assert.Equal(60, Get(buckets, MetricNames.Invocations, period: 3600).Sum);
        Assert.Equal(0, aggregator.PendingCount);
    }

    [Fact]
    public void Drain_AfterDrain_HandsOutOnlyNewSamples()
    {
        var aggregator = new MetricAggregator();
        aggregator.Add(Record(InvocationOutcome.Success, 1, T0));
        aggregator.Drain();
        aggregator.Add(Record(InvocationOutcome.Success, 1, T0));

        Assert.Equal(1, Get(Drain(aggregator), MetricNames.Invocations).Sum);
    }

    [Fact]
    public void Add_RecordsOfOneShape_KeepBucketsErrorTypesAndStartKindsApart()
    {
        var aggregator = new MetricAggregator();
        aggregator.Add(Record(InvocationOutcome.FunctionError, 10, T0, errorType: "A"));
        aggregator.Add(Record(InvocationOutcome.FunctionError, 20, T0.AddSeconds(1), errorType: "B"));
        aggregator.Add(Record(InvocationOutcome.FunctionError, 30, T0.AddSeconds(2), errorType: "A"));
        aggregator.Add(Record(InvocationOutcome.FunctionError, 40, T0.AddSeconds(11), errorType: "A"));
        aggregator.Add(Record(InvocationOutcome.Success, 50, T0.AddSeconds(3), cold: true, initMs: 5));

        var buckets = Drain(aggregator);

        Assert.Equal(2, Get(buckets, MetricNames.Errors, dimension: "errorType=A").Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Errors, dimension: "errorType=B").Sum);
        Assert.Equal(1, Get(buckets, MetricNames.Errors, dimension: "errorType=A", at: T0.AddSeconds(11)).Sum);
        Assert.Equal(60, Get(buckets, MetricNames.Duration, dimension: "start=warm").Sum);
        Assert.Equal(50, Get(buckets, MetricNames.Duration, dimension: "start=cold").Sum);
        Assert.Equal(60, Get(buckets, MetricNames.Duration, version: "1", dimension: "start=warm").Sum);
        Assert.Equal(4, Get(buckets, MetricNames.Duration).SampleCount);
        Assert.Equal(40, Get(buckets, MetricNames.Duration, at: T0.AddSeconds(11)).Sum);
        Assert.Equal(5, Get(buckets, MetricNames.InitDuration).Sum);
    }
}
