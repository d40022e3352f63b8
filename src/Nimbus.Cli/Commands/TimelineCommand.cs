using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class TimelineCommand
{
    public static readonly CommandSpec Spec = new(
        "timeline",
        "Show changes (deploys, configuration, versions, aliases), alarm transitions and new errors on one timeline, newest first",
        [new ArgumentSpec("NAME", "Function name (default: every function)", Optional: true)],
        [
            new OptionSpec("since", "s", "WHEN", "From a duration ago (30m, 6h, 2d) or an ISO-8601 time (default 1d)"),
            CommonOptions.Output,
            CommonOptions.Url,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var events = await api.GetTimelineAsync(command.OptionalArgument("NAME"), command.Option("since"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, events);
            return ExitCodes.Success;
        }

        if (events.Count == 0)
        {
            context.Out.WriteLine("Nothing happened in that time.");
            return ExitCodes.Success;
        }

        var table = new Table("TIME", "FUNCTION", "KIND", "WHO", "WHAT");
        foreach (var e in events)
        {
            table.AddRow(Formats.ShortTime(e.Timestamp), e.Function, e.Kind, e.Actor ?? "-", e.Summary);
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
