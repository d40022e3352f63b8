using Nimbus.Core.Alarms;

namespace Nimbus.Core.Tests.Alarms;

public sealed class AlarmMetricMathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rate_DividesPerPeriodAndScales()
    {
        var errors = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0] = new(3), [T0.AddMinutes(1)] = new(1) };
        var invocations = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0] = new(60), [T0.AddMinutes(1)] = new(4) };

        var rate = AlarmMetricMath.Rate(errors, invocations, 100);

        Assert.Equal(5.0, rate[T0].Value);
        Assert.Equal(60, rate[T0].SampleCount);
        Assert.Equal(25.0, rate[T0.AddMinutes(1)].Value);
    }

    [Fact]
    public void Rate_WithInvocationsButNoErrorSamples_IsZero()
    {
        var invocations = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0] = new(10) };

        Assert.Equal(0.0, AlarmMetricMath.Rate(new Dictionary<DateTimeOffset, AlarmDatapoint>(), invocations, 100)[T0].Value);
    }

    [Fact]
    public void Rate_WithoutInvocations_IsMissing()
    {
        var errors = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0] = new(2), [T0.AddMinutes(1)] = new(0) };
        var invocations = new Dictionary<DateTimeOffset, AlarmDatapoint> { [T0.AddMinutes(1)] = new(0) };

        Assert.Empty(AlarmMetricMath.Rate(errors, invocations, 100));
    }

    [Fact]
    public void Percent_ReadsAsMetricMath() =>
        Assert.Equal("100.0 * errors / invocations", AlarmMetric.Percent("errors", "invocations").ToString());
}
