namespace Nimbus.Cli.Commands;

internal static class DeploymentsStopCommand
{
    public static readonly Arguments.CommandSpec Spec = DeploymentCommandSpec.Create(
        "deployments stop",
        "Stop a deployment in progress; the alias goes back to the old version",
        (api, id, cancellationToken) => api.StopDeploymentAsync(id, cancellationToken));
}
