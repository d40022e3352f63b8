using Nimbus.Cli.Arguments;
using Nimbus.Cli.Commands;

namespace Nimbus.Cli.Tests.Commands;

public sealed class UpCommandOtlpTests
{
    private static readonly ArgumentParser s_parser = new(CliApp.Catalog);

    private static Server.Hosting.NimbusServerOptions Build(params string[] args) =>
        UpCommand.BuildOptions(s_parser.Parse(["up", .. args]).Command!, new CliContext { Out = TextWriter.Null, OutStream = Stream.Null, Error = TextWriter.Null });

    [Fact]
    public void OtlpEndpoint_NotGiven_ExportsNothing() => Assert.Null(Build().OtlpEndpoint);

    [Fact]
    public void OtlpEndpoint_Given_IsTheCollectorAddress() =>
        Assert.Equal(new Uri("http://127.0.0.1:4318"), Build("--otlp-endpoint", "http://127.0.0.1:4318").OtlpEndpoint);

    [Fact]
    public void OtlpEndpoint_NotAnHttpUrl_IsAUsageErrorNamingTheOption()
    {
        var error = Assert.Throws<UsageException>(() => Build("--otlp-endpoint", "collector:4318"));

        Assert.StartsWith("invalid value 'collector:4318' for --otlp-endpoint", error.Message);
    }
}
