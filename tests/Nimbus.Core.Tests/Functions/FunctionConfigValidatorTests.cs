using Nimbus.Core.Functions;

namespace Nimbus.Core.Tests.Functions;

/// <summary>The rules every writer of a configuration (API and manifest) applies; JSON nulls arrive as nulls here.</summary>
public class FunctionConfigValidatorTests
{
    private static FunctionConfig Valid => new() { Name = "fn", Runtime = RuntimeNames.Node, Handler = "index.handler" };

    private static string[] Fields(FunctionConfig config) => [.. FunctionConfigValidator.Validate(config).Select(e => e.Field)];

    [Fact]
    public void Validate_NullRoute_IsAnErrorAtItsIndex_NotAnException()
    {
        Assert.Equal(["routes[0]"], Fields(Valid with { Routes = [null!] }));
    }

    [Fact]
    public void Validate_RouteWithNullMethodAndPath_NamesBothFields()
    {
        Assert.Equal(["routes[1].method", "routes[1].path"], Fields(Valid with { Routes = [new("GET", "/ok"), new(null!, null!)] }));
    }

    [Fact]
    public void Validate_NullEnvironmentValue_NamesTheVariable()
    {
        var errors = FunctionConfigValidator.Validate(Valid with { Environment = new Dictionary<string, string> { ["TABLE"] = null! } });

        var error = Assert.Single(errors);
        Assert.Equal("environment.TABLE", error.Field);
        Assert.Contains("not null", error.Message);
    }

    [Fact]
    public void Validate_NullRuntimeAndHandler_AreErrorsNotExceptions()
    {
        Assert.Equal(["runtime"], Fields(new FunctionConfig { Name = "fn", Runtime = null!, Handler = null! }));
    }

    [Fact]
    public void Validate_RouteOfSixtyFourSegments_Passes_SixtyFive_IsRefused()
    {
        var ok = "/" + string.Join('/', Enumerable.Repeat("a", RouteRules.MaxSegments));
        var deep = ok + "/a";

        Assert.Empty(FunctionConfigValidator.Validate(Valid with { Routes = [new("GET", ok)] }));
        var error = Assert.Single(FunctionConfigValidator.Validate(Valid with { Routes = [new("GET", deep)] }));
        Assert.Equal("routes[0].path", error.Field);
        Assert.Contains("65 segments; at most 64", error.Message);
    }

    [Fact]
    public void Validate_TenThousandSegmentRoute_IsRefusedBeforeParsing()
    {
        var deep = "/" + string.Join('/', Enumerable.Repeat("a", 10_000));

        var error = Assert.Single(FunctionConfigValidator.Validate(Valid with { Routes = [new("GET", deep)] }));

        Assert.Equal("routes[0].path", error.Field);
        Assert.Contains("at most 1024", error.Message);
    }

    [Fact]
    public void Validate_RouteLongerThan1024Characters_IsRefused()
    {
        var path = "/" + new string('a', RouteRules.MaxPathLength);

        var error = Assert.Single(FunctionConfigValidator.Validate(Valid with { Routes = [new("GET", path)] }));

        Assert.Contains("1025 characters long; at most 1024", error.Message);
    }

    [Fact]
    public void Validate_RouteQualifierThatIsNoVersionOrAlias_IsRefused()
    {
        Assert.Equal(["routes[0].qualifier"], Fields(Valid with { Routes = [new("GET", "/x", "not an alias!")] }));
        Assert.Empty(Fields(Valid with { Routes = [new("GET", "/x", "live"), new("GET", "/y", "3"), new("GET", "/z", Qualifier.Latest)] }));
    }

    [Fact]
    public void Validate_EnvironmentOver4KB_IsRefusedNamingTheTotal()
    {
        var environment = new Dictionary<string, string> { ["BIG"] = new string('x', EnvironmentRules.MaxTotalBytes - 3 + 1) };

        var error = Assert.Single(FunctionConfigValidator.Validate(Valid with { Environment = environment }));

        Assert.Equal("environment", error.Field);
        Assert.Contains($"4097 bytes (keys and values, UTF-8); at most {EnvironmentRules.MaxTotalBytes}", error.Message);
    }

    [Fact]
    public void Validate_EnvironmentOfExactly4KB_Passes()
    {
        var environment = new Dictionary<string, string> { ["BIG"] = new string('x', EnvironmentRules.MaxTotalBytes - 3) };

        Assert.Empty(FunctionConfigValidator.Validate(Valid with { Environment = environment }));
    }

    [Fact]
    public void Validate_TwentyThousandVariables_IsRefusedBySize()
    {
        var environment = Enumerable.Range(0, 20_000).ToDictionary(i => $"V{i}", _ => "1");

        Assert.Equal(["environment"], Fields(Valid with { Environment = environment }));
    }

    [Fact]
    public void Validate_MultiByteValues_CountInUtf8Bytes()
    {
        // 1,400 × 'é' is 1,400 characters but 2,800 bytes; twice that is over 4 KB.
        var environment = new Dictionary<string, string> { ["AA"] = new string('é', 1400), ["BB"] = new string('é', 1400) };

        Assert.Equal(["environment"], Fields(Valid with { Environment = environment }));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("1ABC")]
    [InlineData("_HIDDEN")]
    [InlineData("WITH-DASH")]
    [InlineData("WITH SPACE")]
    public void Validate_KeyOutsideLambdasPattern_IsRefused(string key)
    {
        var errors = FunctionConfigValidator.Validate(Valid with { Environment = new Dictionary<string, string> { [key] = "v" } });

        Assert.Equal($"environment.{key}", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("AWS_REGION")]
    [InlineData("AWS_LAMBDA_RUNTIME_API")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("LAMBDA_TASK_ROOT")]
    public void Validate_ReservedKey_IsRefused(string key)
    {
        var error = Assert.Single(FunctionConfigValidator.Validate(Valid with { Environment = new Dictionary<string, string> { [key] = "v" } }));

        Assert.Contains("reserved", error.Message);
    }

    [Fact]
    public void Validate_NulInValue_IsRefused()
    {
        var error = Assert.Single(FunctionConfigValidator.Validate(Valid with { Environment = new Dictionary<string, string> { ["KEY"] = "a\0b" } }));

        Assert.Equal(("environment.KEY", "must not contain a NUL character"), (error.Field, error.Message));
    }

    [Fact]
    public void Validate_LambdaStyleKeys_Pass()
    {
        var environment = new Dictionary<string, string> { ["tableName"] = "orders", ["LOG_LEVEL"] = "debug", ["AWS_NODEJS_CONNECTION_REUSE_ENABLED"] = "1" };

        Assert.Empty(FunctionConfigValidator.Validate(Valid with { Environment = environment }));
    }

    [Fact]
    public void Validate_NameOf65Characters_IsRefused_64Passes()
    {
        Assert.Empty(Fields(Valid with { Name = new string('f', 64) }));
        Assert.Equal(["name"], Fields(Valid with { Name = new string('f', 65) }));
    }

    [Fact]
    public void Validate_HandlerWithNulOrTooLong_IsRefused()
    {
        Assert.Equal(["handler"], Fields(Valid with { Handler = "index.\0handler" }));
        Assert.Equal(["handler"], Fields(Valid with { Handler = new string('h', 129) }));
    }

    [Fact]
    public void Validate_DescriptionOver256Characters_IsRefused()
    {
        Assert.Equal(["description"], Fields(Valid with { Description = new string('d', 257) }));
    }
}
