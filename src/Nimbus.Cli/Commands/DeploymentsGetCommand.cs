using Nimbus.Cli.Arguments;
using Nimbus.Cli.Deploy;
using Nimbus.Cli.Output;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsGetCommand
{
    public static readonly CommandSpec Spec = DeploymentCommandSpec.Create(
        "deployments get",
        "Show a deployment: its step, weights, status and reason",
        (api, id, cancellationToken) => api.GetDeploymentAsync(id, cancellationToken));

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
            .AddRow("weights", DeploymentWatcher.Weights(d))
            .AddRow("alarms", d.Alarms.Count > 0 ? DeploymentWatcher.Alarms(d) : "-")
            .AddRow("reason", d.Reason ?? "-")
            .AddRow("forced", d.Forced ? "yes" : "no")
            .AddRow("created", Formats.ShortTime(d.CreatedAt))
            .AddRow("updated", Formats.ShortTime(d.UpdatedAt))
            .WriteTo(context.Out);
    }
}
