using Nimbus.Cli.Arguments;
using Nimbus.Cli.Commands;

namespace Nimbus.Cli.Tests.Commands;

public sealed class UpCommandTelemetryTests
{
    private static readonly ArgumentParser s_parser = new(CliApp.Catalog);

    private static Server.Hosting.NimbusServerOptions Build(params string[] args) =>
        UpCommand.BuildOptions(s_parser.Parse(["up", .. args]).Command!, new CliContext { Out = TextWriter.Null, OutStream = Stream.Null, Error = TextWriter.Null });

    [Fact]
    public void NoTelemetry_NotGiven_RecordsTelemetry() => Assert.True(Build().RecordTelemetry);

    [Fact]
    public void NoTelemetry_Given_RecordsNone() => Assert.False(Build("--no-telemetry").RecordTelemetry);
}
