using System.Text;

namespace Nimbus.Cli.Tests.Support;

/// <summary>Runs the CLI in-process with captured stdout (text and bytes, in the order written) and stderr.</summary>
internal sealed record CliRun(int ExitCode, byte[] OutBytes, string Error)
{
    public string Out => Encoding.UTF8.GetString(OutBytes);

    public static async Task<CliRun> RunAsync(
        IReadOnlyList<string> args,
        string? workingDirectory = null,
        string? environmentUrl = null,
        Func<Stream>? input = null,
        TimeProvider? time = null,
        Stream? stdout = null,
        bool terminal = false,
        CancellationToken cancellationToken = default)
    {
        var captured = new MemoryStream();
        var output = stdout ?? captured;
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = TextWriter.Synchronized(new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true }),
            OutStream = output,
            OutputIsTerminal = terminal,
            Error = TextWriter.Synchronized(error),
            EnvironmentUrl = environmentUrl,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            OpenInput = input ?? (() => new MemoryStream()),
            Time = time ?? TimeProvider.System,
        };
        var exitCode = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliRun(exitCode, captured.ToArray(), error.ToString());
    }
}
