namespace Nimbus.Cli.Commands;

internal static class DeploymentsPromoteCommand
{
    public static readonly Arguments.CommandSpec Spec = DeploymentCommandSpec.Create(
        "deployments promote",
        "Send all traffic to the new version now, skipping the remaining steps and the bake",
        (api, id, cancellationToken) => api.PromoteDeploymentAsync(id, cancellationToken));
}
