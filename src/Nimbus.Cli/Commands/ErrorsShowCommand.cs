using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class ErrorsShowCommand
{
    public static readonly CommandSpec Spec = new(
        "errors show",
        "Show one error group: counts per version, a sample request and its stack trace",
        [new ArgumentSpec("ID", "Error group id, as `nimbus errors NAME` lists them")],
        [CommonOptions.Output, CommonOptions.Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var id = command.Argument("ID");
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw command.Invalid("ID", id, "expected an error group id (a number)");
        }

        using var api = context.CreateClient(command);
        var group = await api.GetErrorGroupAsync(id, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, group);
            return ExitCodes.Success;
        }

        var table = new Table("FIELD", "VALUE") { ShowHeaders = false }
            .AddRow("id", Formats.Integer(group.Id))
            .AddRow("function", group.FunctionName)
            .AddRow("type", group.ErrorType)
            .AddRow("message", ErrorsListCommand.OneLine(group.Message))
            .AddRow("fingerprint", group.Fingerprint)
            .AddRow("count", Formats.Integer(group.Count))
            .AddRow("first seen", $"{Formats.ShortTime(group.FirstSeen)} (version {group.FirstVersion})")
            .AddRow("last seen", Formats.ShortTime(group.LastSeen))
            .AddRow("sample request", group.SampleRequestId ?? "-")
            .AddRow("sample trace", group.SampleTraceId ?? "-");
        foreach (var version in group.Versions)
        {
            table.AddRow("version " + version.Version, $"{Formats.Integer(version.Count)}  ({Formats.ShortTime(version.FirstSeen)} to {Formats.ShortTime(version.LastSeen)})");
        }

        table.WriteTo(context.Out);
        if (group.StackTrace.Count > 0)
        {
            context.Out.WriteLine();
            context.Out.WriteLine("stack trace (latest occurrence):");
            foreach (var frame in group.StackTrace)
            {
                context.Out.WriteLine("  " + frame.TrimEnd().ReplaceLineEndings("\n  "));
            }
        }

        return ExitCodes.Success;
    }
}
