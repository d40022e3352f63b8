using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;
using YamlDotNet.RepresentationModel;

namespace Nimbus.Core.Tests.Alarms;

public sealed class DefaultAlarmsTests
{
    private static readonly FunctionConfig Checkout = new() { Name = "checkout", Runtime = "node22", TimeoutSeconds = 10 };

    private static AlarmDefinition Get(IReadOnlyList<AlarmDefinition> alarms, string name) => Assert.Single(alarms, a => a.Name == name);

    private static IReadOnlyDictionary<string, DefaultAlarmOverride> Read(string yaml, List<ManifestError> errors)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return DefaultAlarmOverridesReader.Read(((YamlMappingNode)stream.Documents[0].RootNode).Children["defaultAlarms"], "functions.checkout.defaultAlarms", errors);
    }

    [Fact]
    public void For_AFunctionWithoutReservation_GetsEveryDefaultButConcurrency()
    {
        var alarms = DefaultAlarms.For(Checkout);

        Assert.Equal(
            ["checkout-error-rate", "checkout-throttles", "checkout-duration", "checkout-init-failures", "checkout-dead-lettered", "checkout-async-event-age"],
            alarms.Select(a => a.Name));
        Assert.All(alarms, a => Assert.Empty(AlarmDefinitionValidator.Validate(a)));
        Assert.All(alarms, a => Assert.Equal(TreatMissingData.NotBreaching, a.TreatMissingData));
        Assert.All(alarms, a => Assert.Equal("checkout", a.Dimensions.Function));
    }

    [Fact]
    public void For_ErrorRate_IsFivePercentOfInvocationsInThreeOfThreeMinutes()
    {
        var rate = Get(DefaultAlarms.For(Checkout), "checkout-error-rate");

        Assert.Equal(new AlarmMetric("errors", null, "invocations", 100), rate.Metric);
        Assert.Equal((TimeSpan.FromMinutes(1), 3, 3, 5.0), (rate.Period, rate.EvaluationPeriods, rate.DatapointsToAlarm, rate.Threshold));
        Assert.Equal(ComparisonOperator.GreaterThanOrEqualToThreshold, rate.Comparison);
    }

    [Fact]
    public void For_Throttles_AlarmsOnOneThrottleInAMinute()
    {
        var throttles = Get(DefaultAlarms.For(Checkout), "checkout-throttles");

        Assert.Equal(("throttles", "Sum", 1, 1, 1.0), (throttles.Metric.Name, throttles.Statistic.Name, throttles.EvaluationPeriods, throttles.DatapointsToAlarm, throttles.Threshold));
    }

    [Fact]
    public void For_Duration_IsP99AtEightyPercentOfTheTimeoutInMilliseconds()
    {
        var duration = Get(DefaultAlarms.For(Checkout), "checkout-duration");

        Assert.Equal(("duration", 99.0, 8000.0), (duration.Metric.Name, duration.Statistic.Percentile, duration.Threshold));
    }

    [Fact]
    public void For_InitFailures_CountsInitErrorInvocations()
    {
        var init = Get(DefaultAlarms.For(Checkout), "checkout-init-failures");

        Assert.Equal(AlarmMetric.Single("invocations", "outcome=InitError"), init.Metric);
        Assert.Equal(1.0, init.Threshold);
    }

    [Fact]
    public void For_AsyncAlarms_ReadDeadLetteredAndOldestEventAge()
    {
        var alarms = DefaultAlarms.For(Checkout);

        Assert.Equal(("deadLettered", 1.0), (Get(alarms, "checkout-dead-lettered").Metric.Name, Get(alarms, "checkout-dead-lettered").Threshold));
        var age = Get(alarms, "checkout-async-event-age");
        Assert.Equal(("asyncEventAge", "Maximum", 300_000.0), (age.Metric.Name, age.Statistic.Name, age.Threshold));
    }

    [Fact]
    public void For_AFunctionWithReservation_AlarmsAtNinetyPercentOfIt()
    {
        var concurrency = Get(DefaultAlarms.For(Checkout with { ReservedConcurrency = 20 }), "checkout-concurrency");

        Assert.Equal(("concurrentExecutions", "Maximum", 18.0), (concurrency.Metric.Name, concurrency.Statistic.Name, concurrency.Threshold));
    }

    [Fact]
    public void For_AFunctionReservedAtZero_HasNoConcurrencyAlarm() =>
        Assert.DoesNotContain(DefaultAlarms.For(Checkout with { ReservedConcurrency = 0 }), a => a.Name == "checkout-concurrency");

    [Fact]
    public void For_TheIssueManifestMap_TunesErrorRateAndDisablesThrottles()
    {
        var errors = new List<ManifestError>();
        var overrides = Read("defaultAlarms: {errorRate: {threshold: 2}, throttles: false}", errors);

        var alarms = DefaultAlarms.For(Checkout, overrides);

        Assert.Empty(errors);
        Assert.Equal(2.0, Get(alarms, "checkout-error-rate").Threshold);
        Assert.DoesNotContain(alarms, a => a.Name == "checkout-throttles");
        Assert.Equal(5, alarms.Count);
    }

    [Fact]
    public void For_DurationThresholdOverride_IsAPercentOfTheTimeout()
    {
        var overrides = new Dictionary<string, DefaultAlarmOverride> { [DefaultAlarmKeys.Duration] = new() { Threshold = 50 } };

        Assert.Equal(5000.0, Get(DefaultAlarms.For(Checkout, overrides), "checkout-duration").Threshold);
    }

    [Fact]
    public void For_FewerEvaluationPeriods_KeepsMWithinN()
    {
        var errors = new List<ManifestError>();
        var overrides = Read("defaultAlarms:\n  errorRate:\n    period: 10s\n    evaluationPeriods: 2\n    treatMissingData: missing\n", errors);

        var rate = Get(DefaultAlarms.For(Checkout, overrides), "checkout-error-rate");

        Assert.Empty(errors);
        Assert.Equal((TimeSpan.FromSeconds(10), 2, 2, TreatMissingData.Missing), (rate.Period, rate.EvaluationPeriods, rate.DatapointsToAlarm, rate.TreatMissingData));
    }

    [Fact]
    public void Read_BadEntries_ReportEachWithFieldAndLine()
    {
        var errors = new List<ManifestError>();
        var overrides = Read(
            "defaultAlarms:\n  errorRates: false\n  throttles: {threshold: many}\n  duration: {period: 15s}\n  errorRate: {datapointsToAlarm: 4, evaluationPeriods: 3}\n  deadLettered: {colour: red}\n",
            errors);

        Assert.Equal(
            [
                "line 2: functions.checkout.defaultAlarms.errorRates: is not a default alarm (one of errorRate, throttles, duration, initFailures, deadLettered, asyncEventAge, concurrency)",
                "line 3: functions.checkout.defaultAlarms.throttles.threshold: must be a number",
                "line 4: functions.checkout.defaultAlarms.duration.period: must be 10s, 20s, 30s or a whole number of minutes (e.g. 1m)",
                "line 5: functions.checkout.defaultAlarms.errorRate.datapointsToAlarm: must not exceed evaluationPeriods",
                "line 6: functions.checkout.defaultAlarms.deadLettered.colour: unknown key 'colour'; expected one of: threshold, period, evaluationPeriods, datapointsToAlarm, treatMissingData, notify, notifyOn, runbook, enabled",
            ],
            errors.Select(e => e.ToString()));
        Assert.DoesNotContain(DefaultAlarmKeys.ErrorRate, overrides.Keys);
    }

    [Fact]
    public void Read_NotAMapping_IsAnError()
    {
        var errors = new List<ManifestError>();

        Read("defaultAlarms: [errorRate]", errors);

        Assert.Equal(["functions.checkout.defaultAlarms: must be a mapping of default alarm to settings, not a list"], errors.Select(e => $"{e.Field}: {e.Message}"));
    }
}
