using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;
using Nimbus.Core.Slos;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestMonitoringTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    // Line 1 is "functions:"; the lines given start on line 7.
    private static ManifestParseResult Parse(string monitoring) => ManifestParser.Parse(
        $"""
        functions:
          checkout:
            runtime: node
            handler: index.handler
            code: ./checkout
            timeout: 10
        {monitoring}
        """, s_base);

    [Fact]
    public void Parse_TheIssuesExample_ReadsAlarmsDefaultsAndSlos()
    {
        var result = Parse("""
                alarms:
                  - name: checkout-errors
                    metric: errors
                    statistic: Sum
                    period: 10s
                    evaluationPeriods: 3
                    datapointsToAlarm: 2
                    comparison: GreaterThanOrEqualToThreshold
                    threshold: 1
                    treatMissingData: notBreaching
                    notify: [webhook:https://ops.example/hook, function:pager]
                    runbook: https://wiki.example/checkout
                defaultAlarms: {errorRate: {threshold: 2}, throttles: false}
                slos:
                  - name: availability
                    objective: 99.9
                    window: 30d
                  - {name: fast, latency: 300ms, objective: 99}
            """);

        Assert.Empty(result.Errors);
        var config = result.Manifest!.Functions[0].Config;
        var alarm = Assert.Single(config.Alarms!);
        Assert.Equal(["webhook:https://ops.example/hook", "function:pager"], alarm.Notify);
        Assert.Equal(("10s", 3, 2, 1.0), (alarm.Period, alarm.EvaluationPeriods, alarm.DatapointsToAlarm, alarm.Threshold));
        Assert.Equal(2, config.DefaultAlarms!["errorRate"].Threshold);
        Assert.False(config.DefaultAlarms["throttles"].Enabled);
        Assert.Equal(["availability", "fast"], config.Slos!.Select(s => s.Name));

        var definitions = AlarmConfigs.AllFor(config);
        Assert.DoesNotContain(definitions, a => a.Name == "checkout-throttles");
        Assert.Equal(2, definitions.Single(a => a.Name == "checkout-error-rate").Threshold);
        var declared = definitions.Single(a => a.Name == "checkout-errors");
        Assert.Equal((TimeSpan.FromSeconds(10), 3, 2, TreatMissingData.NotBreaching), (declared.Period, declared.EvaluationPeriods, declared.DatapointsToAlarm, declared.TreatMissingData));
        Assert.Equal("https://wiki.example/checkout", declared.Runbook);

        var slos = SloConfigs.AllFor(config);
        Assert.Equal((SloKind.Availability, 99.9, TimeSpan.FromDays(30)), (slos[0].Kind, slos[0].ObjectivePercent, slos[0].Window));
        Assert.Equal((SloKind.Latency, TimeSpan.FromMilliseconds(300)), (slos[1].Kind, slos[1].LatencyThreshold));
    }

    [Fact]
    public void Parse_MistypedAlarmKey_SuggestsTheKeyOnItsLine()
    {
        var result = Parse("""
                alarms:
                  - name: slow
                    metric: duration
                    comparison: GreaterThanThreshold
                    treshold: 100
            """);

        Assert.True(result.Errors.Contains(new ManifestError("functions.checkout.alarms[0].treshold", "unknown key 'treshold'; did you mean 'threshold'?", 11)),
            string.Join("\n", result.Errors));
        Assert.Contains(result.Errors, e => e.Field == "functions.checkout.alarms[0].threshold" && e.Message.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidValues_ReportFieldAndLine()
    {
        var result = Parse("""
                alarms:
                  - name: slow
                    metric: duration
                    statistic: p99
                    period: 45s
                    comparison: Bigger
                    threshold: 100
                    notify: [email:ops@example]
                slos:
                  - {name: fast, latency: quick, objective: 100}
                defaultAlarms: {errorRat: false}
            """);

        Assert.Equal(
            [
                new ManifestError("functions.checkout.alarms[0].period", "must be 10s, 20s, 30s or a whole number of minutes (1m, 5m), was '45s'", 11),
                new ManifestError("functions.checkout.alarms[0].comparison", "'Bigger' is not one of GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold", 12),
                new ManifestError("functions.checkout.alarms[0].notify[0]", "'email' is not a notification kind; use webhook:URL, slack:URL or function:NAME", 14),
                new ManifestError("functions.checkout.slos[0].latency", "must be a duration like 300ms or 1s, was 'quick'", 16),
                new ManifestError("functions.checkout.slos[0].objective", "must be a percentage above 0 and below 100", 16),
            ],
            result.Errors.Where(e => !e.Field.Contains("defaultAlarms", StringComparison.Ordinal)).OrderBy(e => e.Line).ThenBy(e => e.Field, StringComparer.Ordinal));
        Assert.Contains(result.Errors, e => e.Field == "functions.checkout.defaultAlarms.errorRat" && e.Line == 17);
    }

    [Fact]
    public void Validate_TheApiReportsTheSameAsTheManifest()
    {
        var config = new FunctionConfig
        {
            Name = "checkout",
            Runtime = "node",
            Handler = "index.handler",
            Alarms = [new AlarmConfig { Name = "checkout-error-rate", Metric = "errors", Comparison = "GreaterThanThreshold", Threshold = 0 }],
            DefaultAlarms = new Dictionary<string, DefaultAlarmConfig> { ["duration"] = new() { Period = "7s" } },
        };

        Assert.Equal(
            [
                new ValidationError("defaultAlarms.duration.period", "must be 10s, 20s, 30s or a whole number of minutes (1m, 5m), was '7s'"),
                new ValidationError("alarms[0].name", "'checkout-error-rate' is already the name of another alarm of this function"),
            ],
            FunctionConfigValidator.Validate(config));
    }

    [Fact]
    public void PlanDiff_ShowsAddedChangedAndRemovedAlarmsAndSlos()
    {
        var before = new FunctionConfig
        {
            Name = "checkout",
            Runtime = "node",
            Alarms = [new AlarmConfig { Name = "a", Metric = "errors", Comparison = "GreaterThanThreshold", Threshold = 0 }],
            Slos = [new SloConfig { Name = "availability", Objective = 99.9 }],
        };
        var after = before with
        {
            Alarms = [new AlarmConfig { Name = "a", Metric = "errors", Comparison = "GreaterThanThreshold", Threshold = 5 }],
            Slos = [],
            DefaultAlarms = new Dictionary<string, DefaultAlarmConfig> { ["throttles"] = new() { Enabled = false } },
        };

        Assert.Equal(
            [
                new FieldChange("alarms.a", "Sum(errors) GreaterThanThreshold 0 for 1 of 1 x 1m", "Sum(errors) GreaterThanThreshold 5 for 1 of 1 x 1m"),
                new FieldChange("defaultAlarms.throttles", null, "off"),
                new FieldChange("slos.availability", "99.9% available over 30d", null),
            ],
            PlanDiff.ConfigChanges(before, after));
    }
    [Fact]
    public void Parse_DefaultSlo_FalseTrueOrAMappingOfItsSettings()
    {
        Assert.False(Parse("    defaultSlo: false").Manifest!.Functions[0].Config.DefaultSlo!.Enabled);
        Assert.Equal(new DefaultSloConfig(), Parse("    defaultSlo: true").Manifest!.Functions[0].Config.DefaultSlo);
        Assert.Null(Parse("    description: none").Manifest!.Functions[0].Config.DefaultSlo);

        var tuned = Parse("    defaultSlo: {objective: 99.5, window: 7d, notify: [webhook:https://ops.example/hook]}");

        Assert.Empty(tuned.Errors);
        var change = tuned.Manifest!.Functions[0].Config.DefaultSlo!;
        Assert.Equal((99.5, "7d", "webhook:https://ops.example/hook"), (change.Objective, change.Window, change.Notify!.Single()));
    }

    [Fact]
    public void Parse_DefaultSlo_BadValuesReportFieldAndLine()
    {
        var result = Parse("""
                defaultSlo:
                  objectve: 99.5
                  window: forever
            """);

        Assert.Equal(
            [
                new ManifestError("functions.checkout.defaultSlo.objectve", "unknown key 'objectve'; did you mean 'objective'?", 8),
                new ManifestError("functions.checkout.defaultSlo.window", "must be a duration like 30d or 7d, was 'forever'", 9),
            ],
            result.Errors.OrderBy(e => e.Line));
        Assert.Contains(Parse("    defaultSlo: [99]").Errors, e => e.Field == "functions.checkout.defaultSlo" && e.Line == 7);
    }

    [Fact]
    public void PlanDiff_ShowsTheDefaultSloTunedOrSwitchedOff_AndNoChangeWithoutTheKey()
    {
        var before = new FunctionConfig { Name = "checkout", Runtime = "node" };

        Assert.Empty(PlanDiff.ConfigChanges(before, before with { DefaultSlo = new DefaultSloConfig() }));
        Assert.Equal([new FieldChange("defaultSlo", null, "off")], PlanDiff.ConfigChanges(before, before with { DefaultSlo = new DefaultSloConfig { Enabled = false } }));
        Assert.Equal(
            [new FieldChange("defaultSlo", "objective 99.5%", "objective 99%, window 7d")],
            PlanDiff.ConfigChanges(before with { DefaultSlo = new DefaultSloConfig { Objective = 99.5 } },
                before with { DefaultSlo = new DefaultSloConfig { Objective = 99, Window = "7d" } }));
    }
}
