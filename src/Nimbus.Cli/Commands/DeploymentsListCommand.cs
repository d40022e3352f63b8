using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsListCommand
{
    public static readonly CommandSpec Spec = new(
        "deployments list",
        "List deployments, newest first (of one function when NAME is given)",
        [new ArgumentSpec("NAME", "Function name", Optional: true)],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var name = command.Arguments.TryGetValue("NAME", out var given) ? given : null;
        var deployments = await api.ListDeploymentsAsync(name, cancellationToken);
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, deployments);
            return ExitCodes.Success;
        }

        var table = new Table("ID", "FUNCTION", "ALIAS", "VERSIONS", "STRATEGY", "STATUS", "STEP", "NEW", "UPDATED");
        foreach (var d in deployments)
        {
            table.AddRow(d.Id, d.FunctionName, d.Alias, $"{d.FromVersion} -> {d.ToVersion}", d.Strategy, Status(d),
                $"{d.Step}/{d.Steps}", Formats.Number(d.NewVersionPercent) + "%", Formats.ShortTime(d.UpdatedAt));
        }

        table.WriteTo(context.Out);
        return ExitCodes.Success;
    }

    /// <summary><c>InProgress (Shifting)</c> while running; the final status alone once ended.</summary>
    internal static string Status(DeploymentInfo deployment) =>
        deployment.Status == DeploymentStatus.InProgress ? $"InProgress ({deployment.State})" : deployment.Status.ToString();
}
