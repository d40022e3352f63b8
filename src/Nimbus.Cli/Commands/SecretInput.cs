using System.Text;
using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

/// <summary>
/// A secret's value for <c>secrets set</c> and <c>secrets rotate</c>: from <c>--file</c> or standard input, never from
/// an argument (which shells keep in their history and every user sees in the process list). One trailing newline is
/// dropped, so <c>echo s3cret | nimbus secrets set NAME</c> stores <c>s3cret</c>.
/// </summary>
internal static class SecretInput
{
    public static readonly OptionSpec File = new("file", "f", "FILE", "Read the value from FILE (default: standard input)");

    public static async Task<string> ReadAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        string text;
        if (command.Option("file") is { } file)
        {
            var path = context.FullPath(file);
            try
            {
                text = await System.IO.File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read the secret's value from '{file}': {e.Message}", ExitCodes.Usage);
            }
        }
        else
        {
            using var input = context.OpenInput();
            using var reader = new StreamReader(input, Encoding.UTF8);
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            text = text[..^2];
        }
        else if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        return text.Length > 0
            ? text
            : throw new CliException("the secret's value is empty: give it on standard input or with --file FILE (never as an argument)", ExitCodes.Usage);
    }
}
