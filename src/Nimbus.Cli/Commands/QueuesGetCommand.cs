using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class QueuesGetCommand
{
    public static readonly CommandSpec Spec = new(
        "queues get",
        "Show a queue's settings and counts",
        [new ArgumentSpec("NAME", "Queue name")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var queue = await api.GetQueueAsync(command.Argument("NAME"), cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, queue);
            return ExitCodes.Success;
        }

        string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture) + "s";
        var lines = new (string Key, string Value)[]
        {
            ("name", queue.Name),
            ("visibilityTimeout", queue.VisibilityTimeoutSeconds is { } v ? Seconds(v) : "6 x consumer timeout"),
            ("retention", Seconds(queue.RetentionSeconds)),
            ("delay", Seconds(queue.DelaySeconds)),
            ("maxReceiveCount", queue.MaxReceiveCount is { } max ? Formats.Integer(max) : "- (no dead-letter queue)"),
            ("maximumDepth", Formats.Integer(queue.MaximumDepth)),
            ("depth", Formats.Integer(queue.Depth)),
            ("visible", Formats.Integer(queue.Visible)),
            ("inFlight", Formats.Integer(queue.InFlight)),
            ("delayed", Formats.Integer(queue.Delayed)),
            ("oldestMessageAge", QueuesListCommand.Age(queue)),
            ("deadLettered", Formats.Integer(queue.DeadLettered)),
        };
        foreach (var (key, value) in lines)
        {
            context.Out.WriteLine($"{key + ":",-18} {value}");
        }

        return ExitCodes.Success;
    }
}
