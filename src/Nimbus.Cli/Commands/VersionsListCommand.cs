using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class VersionsListCommand
{
    public static readonly CommandSpec Spec = new(
        "versions list",
        "List the published versions of a function",
        [new ArgumentSpec("NAME", "Function name")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var versions = await api.ListVersionsAsync(command.Argument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, versions);
            return ExitCodes.Success;
        }

        var table = new Table("VERSION", "SHA256", "CODE", "RUNTIME", "MEMORY", "CREATED", "DESCRIPTION").AlignRight(0, 2, 4);
        foreach (var version in versions.OrderBy(v => v.Version))
        {
            table.AddRow(
                Formats.Integer(version.Version),
                Formats.ShortSha(version.CodeSha256),
                ByteSize.Format(version.CodeSize),
                version.Config.Runtime,
                $"{version.Config.MemoryMb} MB",
                Formats.ShortTime(version.CreatedAt),
                version.Description ?? "");
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
