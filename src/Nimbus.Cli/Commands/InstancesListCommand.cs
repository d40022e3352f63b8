using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;

namespace Nimbus.Cli.Commands;

internal static class InstancesListCommand
{
    public static readonly CommandSpec Spec = new(
        "instances list",
        "List running worker instances",
        [],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var instances = await api.ListInstancesAsync(cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, instances);
            return ExitCodes.Success;
        }

        var table = new Table("ID", "FUNCTION", "VERSION", "STATE", "PID", "PROVISIONED", "INVOCATIONS", "INIT", "STARTED", "LAST USED")
            .AlignRight(4, 6, 7);
        foreach (var instance in instances.OrderBy(i => i.FunctionName, StringComparer.Ordinal).ThenBy(i => i.StartedAt))
        {
            table.AddRow(
                instance.Id,
                instance.FunctionName,
                instance.Version,
                instance.State,
                Formats.Integer(instance.ProcessId),
                instance.Provisioned ? "yes" : "no",
                Formats.Integer(instance.Invocations),
                instance.InitDurationMs is { } init ? $"{Formats.Number(init)} ms" : "-",
                Formats.ShortTime(instance.StartedAt),
                Formats.ShortTime(instance.LastUsedAt));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }
}
