namespace Nimbus.Cli.Tests.Support;

/// <summary>Runs the CLI in-process with captured stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(
        IReadOnlyList<string> args,
        string? workingDirectory = null,
        string? environmentUrl = null,
        Func<Stream>? input = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            EnvironmentUrl = environmentUrl,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            OpenInput = input ?? (() => new MemoryStream()),
            Time = time ?? TimeProvider.System,
        };
        var exitCode = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
