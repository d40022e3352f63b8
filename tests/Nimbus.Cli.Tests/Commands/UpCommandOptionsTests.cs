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
    public void LambdaCredentials_NoneGiven_SeedsNoKeys() =>
        Assert.Empty(Build(null).LambdaCredentials);

    [Fact]
    public void TlsOptions_AreFullPathsOfTheCertificateAndKey()
    {
        var options = Build(null, "--tls-cert", "cert.pem", "--tls-key", "key.pem");

        Assert.Equal(Path.GetFullPath("cert.pem"), options.TlsCertificatePath);
        Assert.Equal(Path.GetFullPath("key.pem"), options.TlsKeyPath);
        Assert.Null(Build(null).TlsCertificatePath);
    }

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

    [Fact]
    public void Retention_NoOptions_IsSevenDaysOrOneGigabyteForLogs_AndSevenDaysOrAMillionRecords()
    {
        var options = Build(null);

        Assert.Equal(Core.Telemetry.RetentionPolicy.DefaultLogs, options.LogRetention);
        Assert.Equal(Core.Telemetry.RetentionPolicy.DefaultInvocations, options.InvocationRetention);
    }

    [Fact]
    public void Retention_FromOptions_SetsAgeSizeAndRecordLimits()
    {
        var options = Build(null, "--log-retention", "3d", "--log-max-size", "200MB", "--invocation-retention", "12h", "--invocation-max-records", "5000");

        Assert.Equal(new Core.Telemetry.RetentionPolicy(TimeSpan.FromDays(3), 200L << 20, null), options.LogRetention);
        Assert.Equal(new Core.Telemetry.RetentionPolicy(TimeSpan.FromHours(12), null, 5000), options.InvocationRetention);
    }

    [Theory]
    [InlineData("--log-retention", "0s", "expected a positive duration")]
    [InlineData("--log-retention", "forever", "expected a duration")]
    [InlineData("--log-max-size", "big", "expected a size such as 500MB")]
    [InlineData("--invocation-max-records", "0", "expected a whole number")]
    public void Retention_InvalidValue_IsAUsageErrorNamingTheOption(string option, string value, string expected)
    {
        var error = Assert.Throws<UsageException>(() => Build(null, option, value));

        Assert.Contains($"invalid value '{value}' for {option}: {expected}", error.Message);
    }
}
