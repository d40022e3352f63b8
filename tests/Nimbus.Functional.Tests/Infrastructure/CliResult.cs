using System.Text.Json;

namespace Nimbus.Functional.Tests.Infrastructure;

/// <summary>Exit code and output of a child process.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}
