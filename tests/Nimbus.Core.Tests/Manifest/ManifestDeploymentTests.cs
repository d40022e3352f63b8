using Nimbus.Core.Deployments;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestDeploymentTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string deployment, string alias = "    alias: live\n") => ManifestParser.Parse(
        "functions:\n  orders:\n    runtime: node\n    handler: index.handler\n    code: ./orders\n" + alias + "    deployment:\n" + deployment,
        s_base);

    [Fact]
    public void Parse_TheIssueExample_ReadsEverySetting()
    {
        var result = Parse("""
                  strategy: Canary10Percent5Minutes
                  alarms: [default, checkout-latency]
                  hooks: {preTraffic: orders-smoke, postTraffic: orders-smoke}
                  budgetGate: {maxBurnRate: 6}
            """);

        Assert.Empty(result.Errors);
        var deployment = result.Manifest!.Functions[0].Deployment!;
        Assert.Equal(DeploymentStrategyParser.Parse("Canary10Percent5Minutes").Strategy, deployment.Strategy);
        Assert.Equal(["default", "checkout-latency"], deployment.Alarms);
        Assert.Equal(new DeploymentHooksRequest("orders-smoke", "orders-smoke", null), deployment.Hooks);
        Assert.Equal(new BudgetGateSettings(6), deployment.BudgetGate);
    }

    [Fact]
    public void Parse_CustomStrategyMapping_IsParsedAndKeptAsFields()
    {
        var result = Parse("      strategy: {type: linear, percent: 20, interval: 2m}\n");

        Assert.Empty(result.Errors);
        var deployment = result.Manifest!.Functions[0].Deployment!;
        Assert.Equal(DeploymentStrategyKind.Linear, deployment.Strategy.Kind);
        Assert.Equal([20.0, 40, 60, 80, 100], WeightSchedule.For(deployment.Strategy).Select(s => s.NewVersionPercent));
        Assert.Equal("2m", deployment.StrategyFields["interval"]);
    }

    [Fact]
    public void Parse_MistypedStrategyName_SuggestsTheClosestWithItsLine()
    {
        var result = Parse("      strategy: Canary10Percent6Minutes\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(new ManifestError("functions.orders.deployment.strategy",
            "unknown strategy 'Canary10Percent6Minutes'; did you mean 'Canary10Percent5Minutes'?", 8), error);
    }

    [Fact]
    public void Parse_UnknownKeys_AreNamedWithDidYouMean()
    {
        var result = Parse("""
                  strategy: AllAtOnce
                  alarm: [default]
                  hooks: {preTrafic: smoke}
            """);

        Assert.Equal(
        [
            new ManifestError("functions.orders.deployment.alarm", "unknown key 'alarm'; did you mean 'alarms'?", 9),
            new ManifestError("functions.orders.deployment.hooks.preTrafic", "unknown key 'preTrafic'; did you mean 'preTraffic'?", 10),
        ], result.Errors);
    }

    [Fact]
    public void Parse_BadStrategySetting_PointsAtThatSettingsLine()
    {
        var result = Parse("""
                  strategy:
                    type: canary
                    percent: 120
                    interval: 5m
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal("functions.orders.deployment.strategy.percent", error.Field);
        Assert.Equal(10, error.Line);
    }

    [Fact]
    public void Parse_BadHookTimeoutAndBurnRate_AreReported()
    {
        var result = Parse("""
                  strategy: AllAtOnce
                  hooks: {preTraffic: smoke, timeout: 2h}
                  budgetGate: {maxBurnRate: -1}
            """);

        Assert.Equal(["functions.orders.deployment.hooks.timeout", "functions.orders.deployment.budgetGate.maxBurnRate"],
            result.Errors.Select(e => e.Field));
        Assert.Contains("at most 1h", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeploymentWithoutAlias_IsRefused()
    {
        var result = Parse("      strategy: AllAtOnce\n", alias: "");

        var error = Assert.Single(result.Errors);
        Assert.Equal("functions.orders.deployment", error.Field);
        Assert.StartsWith("needs 'alias'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingStrategy_SaysWhatToWrite()
    {
        var result = Parse("      alarms: [default]\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("functions.orders.deployment.strategy", error.Field);
        Assert.StartsWith("is required", error.Message, StringComparison.Ordinal);
    }
}
