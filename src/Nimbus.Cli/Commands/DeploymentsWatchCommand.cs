using Nimbus.Cli.Arguments;
using Nimbus.Cli.Deploy;

namespace Nimbus.Cli.Commands;

internal static class DeploymentsWatchCommand
{
    public static readonly CommandSpec Spec = new(
        "deployments watch",
        "Follow a deployment until it ends, one line per step (exit 0 if it succeeded, 5 if rolled back)",
        [new ArgumentSpec("ID", "Deployment id")],
        [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
        RunAsync);

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        using var api = context.CreateClient(command);
        var deployment = await api.GetDeploymentAsync(command.Argument("ID"), cancellationToken);
        var ended = await DeploymentWatcher.WatchAsync(api, deployment, output, context.Out, context.Time, cancellationToken);
        return DeploymentWatcher.ExitCode(ended);
    }
}
