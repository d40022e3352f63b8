using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsGetCommand
{
    public static readonly CommandSpec Spec = new(
        "deployments get",
        "Show a deployment: its step, weights, status and reason",
        [new ArgumentSpec("ID", "Deployment id")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var deployment = await api.GetDeploymentAsync(command.Argument("ID"), cancellationToken);
        Write(context, output, deployment);
        return ExitCodes.Success;
    }

    internal static void Write(CliContext context, OutputFormat output, DeploymentInfo d)
    {
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, d);
            return;
        }

        new Table("FIELD", "VALUE") { ShowHeaders = false }
            .AddRow("id", d.Id)
            .AddRow("function", $"{d.FunctionName}:{d.Alias}")
            .AddRow("versions", $"{d.FromVersion} -> {d.ToVersion}")
            .AddRow("strategy", d.Strategy)
            .AddRow("status", DeploymentsListCommand.Status(d))
            .AddRow("step", $"{d.Step}/{d.Steps}")
            .AddRow("new version", Formats.Number(d.NewVersionPercent) + "%")
            .AddRow("reason", d.Reason ?? "-")
            .AddRow("forced", d.Forced ? "yes" : "no")
            .AddRow("created", Formats.ShortTime(d.CreatedAt))
            .AddRow("updated", Formats.ShortTime(d.UpdatedAt))
            .WriteTo(context.Out);
    }
}
