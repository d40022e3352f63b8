using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class SourcesListCommand
{
    public static readonly CommandSpec Spec = new(
        "sources list",
        "List event source mappings (queues consumed by functions) with their state",
        [new ArgumentSpec("FUNCTION", "Function name (default: every function)", Optional: true)],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var sources = await api.ListSourcesAsync(command.OptionalArgument("FUNCTION"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, sources);
            return ExitCodes.Success;
        }

        var table = new Table("FUNCTION", "QUEUE", "STATE", "BATCH", "WINDOW", "CONCURRENCY", "PARTIAL FAILURES");
        foreach (var source in sources)
        {
            table.AddRow(source.FunctionName, source.Queue, source.State, Formats.Integer(source.BatchSize),
                source.MaximumBatchingWindowInSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
                Formats.Integer(source.MaximumConcurrency), source.ReportBatchItemFailures ? "reported" : "-");
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
