using Nimbus.Cli.Arguments;
using Nimbus.Cli.Tests.Support;

namespace Nimbus.Cli.Tests.Arguments;

public sealed class ArgumentParserTests
{
    private static readonly ArgumentParser s_parser = new(CliApp.Catalog);

    private static ParsedCommand Parse(params string[] args) =>
        s_parser.Parse(args).Command ?? throw new Xunit.Sdk.XunitException($"'{string.Join(' ', args)}' parsed as help, not a command");

    private static string ParseError(params string[] args) => Assert.Throws<UsageException>(() => s_parser.Parse(args)).Message;

    [Fact]
    public void Up_TakesAllItsOptions()
    {
        var command = Parse("up", "--port", "0", "--data-dir", "state", "--idle-timeout", "300s", "--max-instances", "8", "--deploy", "nimbus.yaml");

        Assert.Equal("up", command.Command.Name);
        Assert.Equal(0, command.IntOption("port", 0, 65535));
        Assert.Equal("state", command.Option("data-dir"));
        Assert.Equal(TimeSpan.FromSeconds(300), command.DurationOption("idle-timeout"));
        Assert.Equal(8, command.IntOption("max-instances", 1, 100));
        Assert.Equal("nimbus.yaml", command.Option("deploy"));
    }

    [Fact]
    public void Deploy_AcceptsShortAndLongFileOption_AndFunction()
    {
        Assert.Equal("a.yaml", Parse("deploy", "-f", "a.yaml").Option("file"));
        Assert.Equal("b.yaml", Parse("deploy", "--file", "b.yaml").Option("file"));
        Assert.Equal("c.yaml", Parse("deploy", "--file=c.yaml").Option("file"));
        Assert.Equal("orders", Parse("deploy", "--function", "orders").Option("function"));
        Assert.Null(Parse("deploy").Option("file"));
    }

    [Fact]
    public void Invoke_TakesTargetPayloadAndOutput()
    {
        var command = Parse("invoke", "orders:live", "--payload", "{\"a\":1}", "--output", "json");

        Assert.Equal("orders:live", command.Argument("NAME[:QUALIFIER]"));
        Assert.Equal("{\"a\":1}", command.Option("payload"));
        Assert.Equal(OutputFormat.Json, command.Output);
    }

    [Fact]
    public void Invoke_TakesDashAsPayloadValue()
    {
        Assert.Equal("-", Parse("invoke", "orders", "--payload", "-").Option("payload"));
        Assert.Equal("@event.json", Parse("invoke", "orders", "-p", "@event.json").Option("payload"));
    }

    [Theory]
    [InlineData("functions list")]
    [InlineData("instances list")]
    public void ListVerbs_WithoutArguments_Parse(string verb)
    {
        var command = Parse([.. verb.Split(' '), "-o", "json"]);

        Assert.Equal(verb, command.Command.Name);
        Assert.Equal(OutputFormat.Json, command.Output);
    }

    [Theory]
    [InlineData("functions get")]
    [InlineData("functions delete")]
    [InlineData("versions list")]
    [InlineData("versions publish")]
    [InlineData("alias list")]
    [InlineData("logs")]
    public void VerbsTakingAName_BindIt(string verb)
    {
        var command = Parse([.. verb.Split(' '), "orders"]);

        Assert.Equal(verb, command.Command.Name);
        Assert.Equal("orders", command.Argument("NAME"));
    }

    [Fact]
    public void VersionsPublish_TakesDescription()
    {
        Assert.Equal("fix rounding", Parse("versions", "publish", "orders", "--description", "fix rounding").Option("description"));
    }

    [Fact]
    public void AliasSet_BindsThreeArgumentsAndWeight()
    {
        var command = Parse("alias", "set", "orders", "live", "3", "--weight", "4=0.1");

        Assert.Equal("orders", command.Argument("NAME"));
        Assert.Equal("live", command.Argument("ALIAS"));
        Assert.Equal("3", command.Argument("VERSION"));
        Assert.Equal("4=0.1", command.Option("weight"));
    }

    [Fact]
    public void Logs_TakesFiltersAndFollowFlag()
    {
        var command = Parse("logs", "orders", "--request", "abc", "--since", "10m", "--level", "error", "--filter", "timeout", "--follow");

        Assert.Equal("abc", command.Option("request"));
        Assert.Equal("10m", command.Option("since"));
        Assert.Equal("error", command.Option("level"));
        Assert.Equal("timeout", command.Option("filter"));
        Assert.True(command.Flag("follow"));
        Assert.False(Parse("logs", "orders").Flag("follow"));
    }

    [Fact]
    public void ProvisionedSet_BindsCount()
    {
        var command = Parse("provisioned", "set", "orders", "live", "2");

        Assert.Equal("live", command.Argument("QUALIFIER"));
        Assert.Equal(2, command.IntArgument("COUNT", 0, 100));
    }

    [Fact]
    public void OptionsMayComeBeforeTheVerb()
    {
        var command = Parse("--url", "http://example:1", "functions", "list");

        Assert.Equal("functions list", command.Command.Name);
        Assert.Equal("http://example:1", command.Option("url"));
    }

    [Fact]
    public void DoubleDash_EndsOptions()
    {
        Assert.Equal("--weird", Parse("functions", "get", "--", "--weird").Argument("NAME"));
    }

    [Theory]
    [InlineData(new[] { "--help" }, null)]
    [InlineData(new[] { "-h" }, null)]
    [InlineData(new[] { "help" }, null)]
    [InlineData(new[] { "help", "alias", "set" }, "alias set")]
    [InlineData(new[] { "invoke", "--help" }, "invoke")]
    [InlineData(new[] { "alias", "set", "-h" }, "alias set")]
    [InlineData(new[] { "functions", "--help" }, "functions")]
    [InlineData(new[] { "logs", "--bogus", "--help" }, "logs")]
    public void Help_IsRecognizedWhereverItIsAsked(string[] args, string? topic)
    {
        var result = s_parser.Parse(args);

        Assert.True(result.HelpRequested);
        Assert.Equal(topic, result.HelpTopic);
    }

    [Fact]
    public void UnknownVerb_IsAUsageError() => Assert.Contains("unknown command 'frobnicate'", ParseError("frobnicate"));

    [Fact]
    public void UnknownSubcommand_ListsTheKnownOnes() =>
        Assert.Contains("expected list, get, delete", ParseError("functions", "explode"));

    [Fact]
    public void GroupWithoutSubcommand_IsAUsageError() => Assert.Contains("missing subcommand for 'alias'", ParseError("alias"));

    [Fact]
    public void NoArguments_IsAUsageError() => Assert.Contains("missing command", ParseError());

    [Fact]
    public void UnknownOption_NamesTheVerb() =>
        Assert.Contains("unknown option '--colour' for 'functions list'", ParseError("functions", "list", "--colour"));

    [Fact]
    public void OptionOfAnotherVerb_IsUnknownHere() =>
        Assert.Contains("unknown option '--payload' for 'logs'", ParseError("logs", "orders", "--payload", "{}"));

    [Fact]
    public void MissingArgument_NamesIt() =>
        Assert.Contains("missing argument VERSION for 'alias set'", ParseError("alias", "set", "orders", "live"));

    [Fact]
    public void ExtraArgument_IsRejected() =>
        Assert.Contains("unexpected argument 'extra'", ParseError("functions", "get", "orders", "extra"));

    [Fact]
    public void OptionWithoutValue_IsRejected() =>
        Assert.Contains("option --payload needs a value", ParseError("invoke", "orders", "--payload"));

    [Fact]
    public void FlagWithValue_IsRejected() =>
        Assert.Contains("option --follow takes no value", ParseError("logs", "orders", "--follow=yes"));

    [Fact]
    public void RepeatedOption_IsRejected() =>
        Assert.Contains("given more than once", ParseError("deploy", "-f", "a.yaml", "--file", "b.yaml"));

    [Fact]
    public void BadValues_AreUsageErrorsWhenRead()
    {
        Assert.Throws<UsageException>(() => Parse("up", "--port", "70000").IntOption("port", 0, 65535));
        Assert.Throws<UsageException>(() => Parse("up", "--idle-timeout", "soon").DurationOption("idle-timeout"));
        Assert.Throws<UsageException>(() => Parse("functions", "list", "--output", "yaml").Output);
        Assert.Throws<UsageException>(() => Parse("provisioned", "set", "orders", "live", "-1").IntArgument("COUNT", 0, 100));
    }

    [Theory]
    [InlineData(new string[0], 2)]
    [InlineData(new[] { "frobnicate" }, 2)]
    [InlineData(new[] { "functions" }, 2)]
    [InlineData(new[] { "functions", "list", "--colour" }, 2)]
    [InlineData(new[] { "invoke" }, 2)]
    [InlineData(new[] { "invoke", ":live" }, 2)]
    [InlineData(new[] { "alias", "set", "orders", "live", "three" }, 2)]
    [InlineData(new[] { "alias", "set", "orders", "live", "3", "--weight", "4=1.5" }, 2)]
    [InlineData(new[] { "alias", "set", "orders", "live", "3", "--weight", "x=0.1" }, 2)]
    [InlineData(new[] { "logs", "orders", "--since", "yesterday" }, 2)]
    [InlineData(new[] { "logs", "orders", "--level", "LOUD" }, 2)]
    [InlineData(new[] { "up", "--port", "-3" }, 2)]
    [InlineData(new[] { "up", "--idle-timeout", "0s" }, 2)]
    [InlineData(new[] { "functions", "list", "--url", "not a url" }, 2)]
    [InlineData(new[] { "--help" }, 0)]
    [InlineData(new[] { "deploy", "--help" }, 0)]
    [InlineData(new[] { "--version" }, 0)]
    public async Task ExitCode_ForUsageAndHelp(string[] args, int expected)
    {
        var run = await CliRun.RunAsync(args);

        Assert.True(expected == run.ExitCode, $"exit code of 'nimbus {string.Join(' ', args)}': expected {expected}, got {run.ExitCode}; stderr: {run.Error}");
        if (expected == 2)
        {
            Assert.StartsWith("nimbus: ", run.Error);
            Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        }
    }

    [Fact]
    public async Task VerbHelp_ListsArgumentsAndOptions()
    {
        var run = await CliRun.RunAsync(["alias", "set", "--help"]);

        Assert.Contains("Usage: nimbus alias set NAME ALIAS VERSION [options]", run.Out);
        Assert.Contains("-w, --weight VERSION=WEIGHT", run.Out);
        Assert.Contains("--url URL", run.Out);
    }

    [Fact]
    public async Task RootHelp_ListsEveryVerb()
    {
        var run = await CliRun.RunAsync(["--help"]);

        foreach (var command in CliApp.Catalog.Commands)
        {
            Assert.Contains(command.Name, run.Out);
        }
    }
}
