using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class ErrorsListCommand
{
    public static readonly CommandSpec Spec = new(
        "errors",
        "List a function's errors grouped by fingerprint, most recent first",
        [new ArgumentSpec("NAME", "Function name")],
        [new OptionSpec("limit", "n", "N", "At most N groups (default 100)"), CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var limit = command.IntOption("limit", 1, 1000);
        using var api = context.CreateClient(command);
        var groups = await api.ListErrorGroupsAsync(command.Argument("NAME"), limit, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, groups);
            return ExitCodes.Success;
        }

        if (groups.Count == 0)
        {
            context.Out.WriteLine("No errors.");
            return ExitCodes.Success;
        }

        var table = new Table("ID", "TYPE", "COUNT", "FIRST SEEN", "LAST SEEN", "NEW IN", "MESSAGE").AlignRight(0, 2);
        foreach (var group in groups)
        {
            table.AddRow(Formats.Integer(group.Id), group.ErrorType, Formats.Integer(group.Count), Formats.ShortTime(group.FirstSeen),
                Formats.ShortTime(group.LastSeen), group.FirstVersion, OneLine(group.Message));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }

    public static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length > 80 ? line[..77] + "..." : line;
    }
}
