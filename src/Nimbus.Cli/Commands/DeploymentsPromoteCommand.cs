using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsPromoteCommand
{
    public static readonly CommandSpec Spec = new(
        "deployments promote",
        "Send all traffic to the new version now, skipping the remaining steps and the bake",
        [new ArgumentSpec("ID", "Deployment id")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        DeploymentsGetCommand.Write(context, output, await api.PromoteDeploymentAsync(command.Argument("ID"), cancellationToken));
        return ExitCodes.Success;
    }
}
