using System.Text;
using Nimbus.Cli;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>Runs the real CLI code in this process, from the repository root, with stdout (text and bytes) and stderr captured.</summary>
internal static class CliInProcess
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(IReadOnlyList<string> args, string? workingDirectory = null)
    {
        var (exit, bytes, error) = await RunBytesAsync(args, workingDirectory);
        return (exit, Encoding.UTF8.GetString(bytes), error);
    }

    public static async Task<(int Exit, byte[] Out, string Error)> RunBytesAsync(IReadOnlyList<string> args, string? workingDirectory = null)
    {
        var stdout = new MemoryStream();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = new StreamWriter(stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true },
            OutStream = stdout,
            Error = error,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        var exit = await CliApp.RunAsync(args, context, CancellationToken.None);
        return (exit, stdout.ToArray(), error.ToString());
    }
}
