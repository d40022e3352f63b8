using Nimbus.Cli.Api;
using Nimbus.Cli.Arguments;
using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Commands;

/// <summary>The shape <c>deployments get|stop|promote</c> share: one deployment ID in, one call, the deployment shown
/// (a table, or JSON with <c>--output json</c>).</summary>
internal static class DeploymentCommandSpec
{
    public static CommandSpec Create(string name, string summary, Func<ApiClient, string, CancellationToken, Task<DeploymentInfo>> call) =>
        new(
            name,
            summary,
            [new ArgumentSpec("ID", "Deployment id")],
            [CommonOptions.Output, CommonOptions.Url, CommonOptions.Timeout],
            async (command, context, cancellationToken) =>
            {
                var output = command.Output;
                using var api = context.CreateClient(command);
                DeploymentsGetCommand.Write(context, output, await call(api, command.Argument("ID"), cancellationToken));
                return ExitCodes.Success;
            });
}
