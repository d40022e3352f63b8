using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class TracesListCommand
{
    public static readonly CommandSpec Spec = new(
        "traces list",
        "List recent traces (of a function, when named), newest first",
        [new ArgumentSpec("NAME", "Function name (all functions when omitted)", Optional: true)],
        [
            new OptionSpec("since", "s", "WHEN", "From a duration ago (30m, 1h, 2d) or an ISO-8601 time (default 1h)"),
            new OptionSpec("errors", null, null, "Only traces with a failed span"),
            new OptionSpec("limit", "n", "N", "At most N traces (default 100)"),
            CommonOptions.Output, CommonOptions.Url,
        ],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var limit = command.IntOption("limit", 1, 1000);
        using var api = context.CreateClient(command);
        var traces = await api.ListTracesAsync(command.OptionalArgument("NAME"), command.Option("since") ?? "1h", command.Flag("errors"), limit, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, traces);
            return ExitCodes.Success;
        }

        if (traces.Count == 0)
        {
            context.Out.WriteLine("No traces.");
            return ExitCodes.Success;
        }

        var table = new Table("TRACE ID", "START", "DURATION", "SPANS", "STATUS", "ROOT", "FUNCTIONS").AlignRight(2, 3);
        foreach (var trace in traces)
        {
            table.AddRow(trace.TraceId, Formats.ShortTime(trace.Start), TraceWaterfall.Milliseconds(trace.DurationMs), Formats.Integer(trace.SpanCount),
                trace.Error ? "ERROR" : "OK", trace.RootName, string.Join(",", trace.Functions));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
