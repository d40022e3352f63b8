using System.Net.Http.Json;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Api;

internal sealed partial class ApiClient
{
    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<SecretInfo>>("api/v1/secrets", cancellationToken);

    public Task<SecretInfo> SetSecretAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync<SecretInfo>(HttpMethod.Put, SecretPath(name), JsonContent.Create(new SecretValueRequest(value), options: ApiJson.Options), cancellationToken);

    public Task<SecretInfo> RotateSecretAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync<SecretInfo>(HttpMethod.Post, SecretPath(name) + "/rotate", JsonContent.Create(new SecretValueRequest(value), options: ApiJson.Options), cancellationToken);

    public Task DeleteSecretAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, SecretPath(name)), cancellationToken);

    public Task<MasterKeyRotationResult> RotateMasterKeyAsync(CancellationToken cancellationToken) =>
        SendAsync<MasterKeyRotationResult>(HttpMethod.Post, "api/v1/secrets/rotate-master-key", null, cancellationToken);

    public Task<PolicySuggestionInfo> GetPolicySuggestionAsync(string function, CancellationToken cancellationToken) =>
        GetAsync<PolicySuggestionInfo>(FunctionPath(function) + "/policy/suggestion", cancellationToken);

    private static string SecretPath(string name) => $"api/v1/secrets/{Uri.EscapeDataString(name)}";
}
