using Nimbus.Core.Alarms;

namespace Nimbus.Core.Tests.Alarms;

public sealed class AlarmDefinitionValidatorTests
{
    private static readonly AlarmDefinition Valid = new(
        "checkout-errors",
        new AlarmDimensions("checkout"),
        AlarmMetric.Single("errors"),
        AlarmStatistic.Sum,
        TimeSpan.FromSeconds(10),
        3,
        2,
        ComparisonOperator.GreaterThanOrEqualToThreshold,
        1,
        TreatMissingData.NotBreaching);

    private static IEnumerable<string> Fields(AlarmDefinition alarm) => AlarmDefinitionValidator.Validate(alarm).Select(e => e.Field);

    [Fact]
    public void Validate_TheIssueExample_HasNoErrors() => Assert.Empty(AlarmDefinitionValidator.Validate(Valid));

    [Theory]
    [InlineData(10, true)]
    [InlineData(20, true)]
    [InlineData(30, true)]
    [InlineData(60, true)]
    [InlineData(300, true)]
    [InlineData(3600, true)]
    [InlineData(5, false)]
    [InlineData(15, false)]
    [InlineData(40, false)]
    [InlineData(90, false)]
    public void Validate_Period_IsHighResolutionOrWholeMinutes(int seconds, bool valid)
    {
        var fields = Fields(Valid with { Period = TimeSpan.FromSeconds(seconds), EvaluationPeriods = 1, DatapointsToAlarm = 1 });

        Assert.Equal(valid, !fields.Contains("period"));
    }

    [Theory]
    [InlineData(0, 1, "evaluationPeriods")]
    [InlineData(3, 0, "datapointsToAlarm")]
    [InlineData(3, 4, "datapointsToAlarm")]
    public void Validate_MOfN_NeedsOneToNOfAtLeastOne(int n, int m, string field) =>
        Assert.Contains(field, Fields(Valid with { EvaluationPeriods = n, DatapointsToAlarm = m }));

    [Fact]
    public void Validate_RangeLongerThanADay_IsRejected()
    {
        Assert.Empty(AlarmDefinitionValidator.Validate(Valid with { Period = TimeSpan.FromMinutes(1), EvaluationPeriods = 1440 }));
        Assert.Equal(
            ["evaluationPeriods"],
            Fields(Valid with { Period = TimeSpan.FromMinutes(1), EvaluationPeriods = 1441 }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    public void Validate_BadName_IsRejected(string name) => Assert.Equal(["name"], Fields(Valid with { Name = name }));

    [Fact]
    public void Validate_NonFiniteThreshold_IsRejected() =>
        Assert.Equal(["threshold"], Fields(Valid with { Threshold = double.NaN }));

    [Fact]
    public void Validate_VersionAndAliasTogether_IsRejected() =>
        Assert.Equal(["dimensions"], Fields(Valid with { Dimensions = new AlarmDimensions("checkout", "3", "live") }));

    [Fact]
    public void Validate_RateWithoutSum_IsRejected()
    {
        var rate = Valid with { Metric = AlarmMetric.Percent("errors", "invocations") };

        Assert.Empty(AlarmDefinitionValidator.Validate(rate));
        Assert.Equal(["statistic"], Fields(rate with { Statistic = AlarmStatistic.Average }));
    }

    [Fact]
    public void Validate_UndefinedEnums_AreRejected() =>
        Assert.Equal(
            ["comparison", "treatMissingData"],
            Fields(Valid with { Comparison = (ComparisonOperator)42, TreatMissingData = (TreatMissingData)42 }));
}
