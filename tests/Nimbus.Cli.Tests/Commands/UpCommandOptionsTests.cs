using Nimbus.Cli.Arguments;
using Nimbus.Cli.Commands;

namespace Nimbus.Cli.Tests.Commands;

public sealed class UpCommandOptionsTests
{
    private static readonly ArgumentParser s_parser = new(CliApp.Catalog);

    private static Server.Hosting.NimbusServerOptions Build(Dictionary<string, string>? environment, params string[] args)
    {
        var command = s_parser.Parse(["up", .. args]).Command!;
        var context = new CliContext
        {
            Out = TextWriter.Null,
            OutStream = Stream.Null,
            Error = TextWriter.Null,
            GetEnvironmentVariable = name => environment?.GetValueOrDefault(name),
        };
        return UpCommand.BuildOptions(command, context);
    }

    [Fact]
    public void LambdaCredentials_NoneGiven_IsLocalModeAcceptingAnySignature() =>
        Assert.Empty(Build(null).LambdaCredentials);

    [Fact]
    public void LambdaCredentials_FromOptions_AreTheOnlyKeyAccepted()
    {
        var credentials = Build(null, "--lambda-access-key", "AKIDNIMBUS", "--lambda-secret-key", "s3cret").LambdaCredentials;

        Assert.Equal(new Dictionary<string, string> { ["AKIDNIMBUS"] = "s3cret" }, credentials);
    }

    [Fact]
    public void LambdaCredentials_FromEnvironment_AreUsedWhenOptionsAreAbsent()
    {
        var environment = new Dictionary<string, string> { [UpCommand.AccessKeyVariable] = "AKIDENV", [UpCommand.SecretKeyVariable] = "env-secret" };

        Assert.Equal(new Dictionary<string, string> { ["AKIDENV"] = "env-secret" }, Build(environment).LambdaCredentials);
    }

    [Fact]
    public void LambdaCredentials_OnlyOneHalf_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => Build(null, "--lambda-access-key", "AKIDNIMBUS"));

        Assert.Contains("--lambda-secret-key", error.Message);
    }
}
