using Nimbus.Core.Deployments;

namespace Nimbus.Cli.Api;

/// <summary>The deployments API (docs/api.md, "Deployments").</summary>
internal sealed partial class ApiClient
{
    public Task<IReadOnlyList<DeploymentInfo>> ListDeploymentsAsync(string? functionName, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<DeploymentInfo>>(
            functionName is null ? "api/v1/deployments" : $"api/v1/deployments?function={Uri.EscapeDataString(functionName)}", cancellationToken);

    public Task<DeploymentInfo> GetDeploymentAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<DeploymentInfo>(DeploymentPath(id), cancellationToken);

    public Task<DeploymentInfo> StopDeploymentAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<DeploymentInfo>(HttpMethod.Post, DeploymentPath(id) + "/stop", null, cancellationToken);

    public Task<DeploymentInfo> PromoteDeploymentAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<DeploymentInfo>(HttpMethod.Post, DeploymentPath(id) + "/promote", null, cancellationToken);

    public Task<RollbackResult> RollbackAliasAsync(string name, string alias, CancellationToken cancellationToken) =>
        SendAsync<RollbackResult>(HttpMethod.Post, $"{FunctionPath(name)}/aliases/{Uri.EscapeDataString(alias)}/rollback", null, cancellationToken);

    /// <summary><c>POST /api/v1/functions/{name}/deployments</c> with a body built by <see cref="Deploy.DeploymentRequestBody"/>.</summary>
    public Task<DeploymentInfo> StartDeploymentAsync(string name, System.Text.Json.Nodes.JsonObject body, CancellationToken cancellationToken) =>
        SendAsync<DeploymentInfo>(HttpMethod.Post, FunctionPath(name) + "/deployments",
            System.Net.Http.Json.JsonContent.Create(body, options: ApiJson.Options), cancellationToken);

    private static string DeploymentPath(string id) => $"api/v1/deployments/{Uri.EscapeDataString(id)}";
}
