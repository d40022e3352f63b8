using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Manifest;

public class ManifestConcurrencyPerInstanceTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string value, string runtime = "node") => ManifestParser.Parse($"""
        functions:
          orders:
            runtime: {runtime}
            handler: index.handler
            code: orders
            concurrencyPerInstance: {value}
        """, s_base);

    [Fact]
    public void Parse_ConcurrencyPerInstance_SetsTheSlotsOfEachInstance()
    {
        var result = Parse("16");

        Assert.Empty(result.Errors);
        Assert.Equal(16, result.Manifest!.Functions[0].Config.ConcurrencyPerInstance);
        Assert.Equal(16, result.Manifest.Functions[0].Config.EffectiveConcurrencyPerInstance);
    }

    [Fact]
    public void Config_WithoutConcurrencyPerInstance_ServesOneAtATime()
    {
        var config = new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler" };

        Assert.Null(config.ConcurrencyPerInstance);
        Assert.Equal(1, config.EffectiveConcurrencyPerInstance);
        Assert.Equal(1, FunctionInfo.From(new FunctionRecord(config, null, 0, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)).ConcurrencyPerInstance);
    }

    [Theory]
    [InlineData("0", "must be between 1 and 64, was 0")]
    [InlineData("65", "must be between 1 and 64, was 65")]
    [InlineData("many", "must be a whole number of invocations one instance serves at once (1-64), was 'many'")]
    public void Parse_ConcurrencyPerInstanceOutOfBounds_IsAnErrorOnItsLine(string value, string message)
    {
        var error = Assert.Single(Parse(value).Errors);

        Assert.Equal("functions.orders.concurrencyPerInstance", error.Field);
        Assert.Equal(6, error.Line);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_MoreThanOneOnPython_IsRefused_BecauseItsRuntimeClientTakesOneAtATime()
    {
        var config = new FunctionConfig { Name = "orders", Runtime = "python", Handler = "app.handler", ConcurrencyPerInstance = 4 };

        var error = Assert.Single(FunctionConfigValidator.Validate(config));

        Assert.Equal("concurrencyPerInstance", error.Field);
        Assert.StartsWith("must be 1 for the python runtime, was 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dotnet")]
    [InlineData("node")]
    [InlineData("provided")]
    public void Validate_MoreThanOne_IsAcceptedForRuntimesThatCanServeConcurrently(string runtime)
    {
        var config = new FunctionConfig { Name = "orders", Runtime = runtime, Handler = "x", ConcurrencyPerInstance = 64 };

        Assert.Empty(FunctionConfigValidator.Validate(config));
    }

    [Fact]
    public void Request_RoundTripsTheSetting()
    {
        var config = new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler", ConcurrencyPerInstance = 8 };

        Assert.Equal(8, FunctionConfigRequest.From(config).ToConfig("orders").ConcurrencyPerInstance);
    }

    [Fact]
    public void Plan_ShowsAChangedConcurrencyPerInstance_AndANewFunctionOnlyWhenSet()
    {
        var before = new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler" };
        var after = before with { ConcurrencyPerInstance = 16 };

        var change = Assert.Single(PlanDiff.ConfigChanges(before, after));
        Assert.Equal("concurrencyPerInstance", change.Field);
        Assert.Equal("1", change.Old);
        Assert.Equal("16", change.New);
        Assert.DoesNotContain(PlanDiff.ConfigChanges(null, before), c => c.Field == "concurrencyPerInstance");
    }
}
