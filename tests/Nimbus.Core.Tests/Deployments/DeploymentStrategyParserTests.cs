using Nimbus.Core.Deployments;

namespace Nimbus.Core.Tests.Deployments;

public sealed class DeploymentStrategyParserTests
{
    [Theory]
    [InlineData("Canary10Percent5Minutes", 5)]
    [InlineData("Canary10Percent10Minutes", 10)]
    [InlineData("Canary10Percent15Minutes", 15)]
    [InlineData("Canary10Percent30Minutes", 30)]
    public void Parse_PredefinedCanaryName_GivesTenPercentForItsMinutes(string name, int minutes)
    {
        var strategy = Parsed(name);

        Assert.Equal(DeploymentStrategyKind.Canary, strategy.Kind);
        Assert.Equal(10, strategy.Percent);
        Assert.Equal(TimeSpan.FromMinutes(minutes), strategy.Interval);
        Assert.Equal(name, strategy.DisplayName);
    }

    [Theory]
    [InlineData("Linear10PercentEvery1Minute", 1)]
    [InlineData("Linear10PercentEvery2Minutes", 2)]
    [InlineData("Linear10PercentEvery3Minutes", 3)]
    [InlineData("Linear10PercentEvery10Minutes", 10)]
    public void Parse_PredefinedLinearName_GivesTenPercentEveryItsMinutes(string name, int minutes)
    {
        var strategy = Parsed(name);

        Assert.Equal(DeploymentStrategyKind.Linear, strategy.Kind);
        Assert.Equal(10, strategy.Percent);
        Assert.Equal(TimeSpan.FromMinutes(minutes), strategy.Interval);
    }

    [Fact]
    public void Parse_AllAtOnce_GivesAllAtOnceWithoutBake()
    {
        var strategy = Parsed("AllAtOnce");

        Assert.Equal(DeploymentStrategyKind.AllAtOnce, strategy.Kind);
        Assert.Equal(TimeSpan.Zero, strategy.BakeTime);
    }

    [Fact]
    public void Parse_BlueGreen_BakesForTheDefaultTime()
    {
        var strategy = Parsed("BlueGreen");

        Assert.Equal(DeploymentStrategyKind.BlueGreen, strategy.Kind);
        Assert.Equal(TimeSpan.FromMinutes(10), strategy.BakeTime);
    }

    [Theory]
    [InlineData("CodeDeployDefault.LambdaCanary10Percent5Minutes", "Canary10Percent5Minutes")]
    [InlineData("CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "Linear10PercentEvery1Minute")]
    [InlineData("CodeDeployDefault.LambdaAllAtOnce", "AllAtOnce")]
    [InlineData("canary10percent5minutes", "Canary10Percent5Minutes")]
    public void Parse_CodeDeployFullNameOrOtherCase_GivesThePredefinedStrategy(string text, string expected)
    {
        Assert.Equal(expected, Parsed(text).PredefinedName);
    }

    [Theory]
    [InlineData("Canary10Percent6Minutes", "Canary10Percent5Minutes")]
    [InlineData("Linear10PercentEvery1Minutes", "Linear10PercentEvery1Minute")]
    [InlineData("AllAtOnse", "AllAtOnce")]
    [InlineData("BlueGren", "BlueGreen")]
    public void Parse_MistypedName_SuggestsTheClosestName(string text, string suggestion)
    {
        var result = DeploymentStrategyParser.Parse(text);

        Assert.Null(result.Strategy);
        var error = Assert.Single(result.Errors);
        Assert.Equal("strategy", error.Field);
        Assert.Equal($"unknown strategy '{text}'; did you mean '{suggestion}'?", error.Message);
    }

    [Fact]
    public void Parse_UnrelatedName_ListsTheKnownNames()
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse("Rolling").Errors);

        Assert.StartsWith("unknown strategy 'Rolling'; expected one of: AllAtOnce, Canary10Percent5Minutes,", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_MissingName_SaysItIsRequired(string? text)
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(text).Errors);

        Assert.StartsWith("is required", error.Message);
    }

    [Theory]
    [InlineData("Shadow")]
    [InlineData("AB")]
    public void Parse_ShadowOrAbWithoutSettings_SaysWhichSettingsItNeeds(string text)
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(text).Errors);

        Assert.Contains("needs its settings", error.Message, StringComparison.Ordinal);
        Assert.Contains("duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CustomCanary_ReadsPercentAndInterval()
    {
        var strategy = ParsedFields(new() { ["type"] = "canary", ["percent"] = "5", ["interval"] = "2m" });

        Assert.Equal(DeploymentStrategyKind.Canary, strategy.Kind);
        Assert.Equal(5, strategy.Percent);
        Assert.Equal(TimeSpan.FromMinutes(2), strategy.Interval);
        Assert.Null(strategy.PredefinedName);
        Assert.Equal("canary 5% for 2m", strategy.DisplayName);
    }

    [Fact]
    public void Parse_CustomLinear_ReadsPercentWithSignAndInterval()
    {
        var strategy = ParsedFields(new() { ["type"] = "linear", ["percent"] = "25%", ["interval"] = "30s" });

        Assert.Equal(DeploymentStrategyKind.Linear, strategy.Kind);
        Assert.Equal(25, strategy.Percent);
        Assert.Equal(TimeSpan.FromSeconds(30), strategy.Interval);
    }

    [Fact]
    public void Parse_BlueGreenWithBakeTime_UsesIt()
    {
        var strategy = ParsedFields(new() { ["type"] = "blueGreen", ["bakeTime"] = "30m" });

        Assert.Equal(TimeSpan.FromMinutes(30), strategy.BakeTime);
        Assert.Null(strategy.PredefinedName);
    }

    [Fact]
    public void Parse_Shadow_ReadsPercentAndDuration()
    {
        var strategy = ParsedFields(new() { ["type"] = "shadow", ["percent"] = "100", ["duration"] = "1h" });

        Assert.Equal(DeploymentStrategyKind.Shadow, strategy.Kind);
        Assert.Equal(100, strategy.Percent);
        Assert.Equal(TimeSpan.FromHours(1), strategy.Duration);
    }

    [Theory]
    [InlineData("header:X-User", AbKeySource.Header, "x-user")]
    [InlineData("cookie:session", AbKeySource.Cookie, "session")]
    [InlineData("$.user.id", AbKeySource.JsonPath, "$.user.id")]
    public void Parse_AbKey_ReadsWhereTheKeyComesFrom(string text, AbKeySource source, string name)
    {
        var strategy = ParsedFields(new() { ["type"] = "ab", ["percent"] = "50", ["key"] = text, ["duration"] = "7d" });

        Assert.Equal(DeploymentStrategyKind.AB, strategy.Kind);
        Assert.Equal(new AbKey(source, name), strategy.Key);
        Assert.Equal(TimeSpan.FromDays(7), strategy.Duration);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("header:")]
    [InlineData("$.")]
    [InlineData("$.a..b")]
    [InlineData("query:id")]
    public void Parse_AbWithBadKey_NamesTheKeyField(string key)
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(Fields(("type", "ab"), ("percent", "50"), ("key", key), ("duration", "1h"))).Errors);

        Assert.Equal("strategy.key", error.Field);
        Assert.Equal($"'{key}' is not a key: expected header:NAME, cookie:NAME or a JSON path such as $.user.id", error.Message);
    }

    [Theory]
    [InlineData("canary", "0")]
    [InlineData("canary", "100")]
    [InlineData("linear", "-5")]
    [InlineData("linear", "ten")]
    [InlineData("ab", "100")]
    [InlineData("shadow", "101")]
    public void Parse_PercentOutOfRange_NamesThePercentField(string type, string percent)
    {
        var result = DeploymentStrategyParser.Parse(Fields(("type", type), ("percent", percent), ("interval", "1m"), ("duration", "1m"), ("key", "header:x")));

        Assert.Null(result.Strategy);
        Assert.Contains(result.Errors, e => e.Field == "strategy.percent" && e.Message.StartsWith($"'{percent}' is not a percentage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("49h")]
    [InlineData("soon")]
    public void Parse_CanaryIntervalOutOfRangeOrNotADuration_NamesTheIntervalField(string interval)
    {
        var result = DeploymentStrategyParser.Parse(Fields(("type", "canary"), ("percent", "10"), ("interval", interval)));

        var error = Assert.Single(result.Errors);
        Assert.Equal("strategy.interval", error.Field);
    }

    [Fact]
    public void Parse_CanaryWithoutInterval_SaysIntervalIsRequired()
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(Fields(("type", "canary"), ("percent", "10"))).Errors);

        Assert.Equal(("strategy.interval", "is required: a duration such as 30s, 5m or 1h"), (error.Field, error.Message));
    }

    [Fact]
    public void Parse_SettingThatDoesNotApply_IsRefused()
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(Fields(("type", "allAtOnce"), ("percent", "10"))).Errors);

        Assert.Equal(("strategy.percent", "does not apply to this strategy type"), (error.Field, error.Message));
    }

    [Fact]
    public void Parse_MistypedType_SuggestsTheClosestType()
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(Fields(("type", "canery"), ("percent", "10"), ("interval", "1m"))).Errors);

        Assert.Equal(("strategy.type", "unknown type 'canery'; did you mean 'canary'?"), (error.Field, error.Message));
    }

    [Fact]
    public void Parse_MistypedField_SuggestsTheClosestField()
    {
        var result = DeploymentStrategyParser.Parse(Fields(("type", "canary"), ("percent", "10"), ("interval", "1m"), ("intervall", "1m")));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("strategy.intervall", "unknown key 'intervall'; did you mean 'interval'?"), (error.Field, error.Message));
    }

    [Fact]
    public void Parse_MissingType_SaysTypeIsRequired()
    {
        var error = Assert.Single(DeploymentStrategyParser.Parse(Fields(("percent", "10"))).Errors);

        Assert.Equal("strategy.type", error.Field);
    }

    public static TheoryData<string> EveryForm => new()
    {
        "AllAtOnce", "Canary10Percent5Minutes", "Linear10PercentEvery3Minutes", "BlueGreen",
        "type=canary,percent=7.5,interval=90s", "type=linear,percent=30,interval=1m,bakeTime=5m",
        "type=blueGreen,bakeTime=1h", "type=shadow,percent=20,duration=2h", "type=ab,percent=50,key=cookie:sid,duration=1d",
        "type=ab,percent=10,key=$.user.id,duration=30m",
    };

    [Theory]
    [MemberData(nameof(EveryForm))]
    public void ToFields_ThenParse_GivesAnEqualStrategy(string form)
    {
        var strategy = form.Contains('=', StringComparison.Ordinal)
            ? ParsedFields(new(form.Split(',').Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => (string?)p[1])))
            : Parsed(form);

        var again = ParsedFields(new(DeploymentStrategyParser.ToFields(strategy)));

        Assert.Equal(strategy, again);
    }

    private static IReadOnlyDictionary<string, string?> Fields(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static DeploymentStrategy Parsed(string name)
    {
        var result = DeploymentStrategyParser.Parse(name);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Strategy!;
    }

    private static DeploymentStrategy ParsedFields(Dictionary<string, string?> fields)
    {
        var result = DeploymentStrategyParser.Parse(fields);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Strategy!;
    }
}
