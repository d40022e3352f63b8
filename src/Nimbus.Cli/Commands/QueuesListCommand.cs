using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Commands;

internal static class QueuesListCommand
{
    public static readonly CommandSpec Spec = new(
        "queues list",
        "List queues with their depth, in-flight messages, oldest message age and dead-lettered count",
        [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var queues = await api.ListQueuesAsync(cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, queues);
            return ExitCodes.Success;
        }

        var table = new Table("NAME", "DEPTH", "IN FLIGHT", "DELAYED", "OLDEST", "DEAD-LETTERED");
        foreach (var queue in queues)
        {
            table.AddRow(queue.Name, Formats.Integer(queue.Depth), Formats.Integer(queue.InFlight), Formats.Integer(queue.Delayed),
                Age(queue), Formats.Integer(queue.DeadLettered));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }

    internal static string Age(QueueInfo queue) =>
        queue.OldestMessageAgeSeconds is { } age ? $"{Math.Floor(age).ToString(System.Globalization.CultureInfo.InvariantCulture)}s" : "-";
}
