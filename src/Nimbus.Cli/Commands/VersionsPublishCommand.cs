using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Commands;

internal static class VersionsPublishCommand
{
    public static readonly CommandSpec Spec = new(
        "versions publish",
        "Publish $LATEST (code and configuration) as a new immutable version",
        [new ArgumentSpec("NAME", "Function name")],
        [new OptionSpec("description", "d", "TEXT", "Description of the version"), CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var version = await api.PublishVersionAsync(
            command.Argument("NAME"), new PublishVersionRequest(command.Option("description")), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, version);
        }
        else
        {
            context.Out.WriteLine($"{version.FunctionName}: published version {version.Version} (sha256 {Formats.ShortSha(version.CodeSha256)})");
        }

        return ExitCodes.Success;
    }
}
