using Nimbus.Cli.Arguments;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsStopCommand
{
    public static readonly CommandSpec Spec = new(
        "deployments stop",
        "Stop a deployment in progress; the alias goes back to the old version",
        [new ArgumentSpec("ID", "Deployment id")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        DeploymentsGetCommand.Write(context, output, await api.StopDeploymentAsync(command.Argument("ID"), cancellationToken));
        return ExitCodes.Success;
    }
}
