using Nimbus.Cli.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Manifest;

namespace Nimbus.Cli.Deploy;

/// <summary>Reads what a plan compares against: every function, and the versions, aliases and provisioned settings of the manifest's own.</summary>
internal static class DeployedStateReader
{
    public static async Task<IReadOnlyList<DeployedFunction>> ReadAsync(
        ApiClient api, IReadOnlyList<FunctionManifest> functions, CancellationToken cancellationToken)
    {
        var wanted = functions.ToDictionary(f => f.Config.Name, StringComparer.Ordinal);
        var deployed = new List<DeployedFunction>();
        foreach (var function in await api.ListFunctionsAsync(cancellationToken))
        {
            if (!wanted.TryGetValue(function.Name, out var manifest))
            {
                deployed.Add(DeployedFunction.Bare(function));
                continue;
            }

            var versions = manifest.Alias is null ? [] : await api.ListVersionsAsync(function.Name, cancellationToken);
            var aliases = manifest.Alias is null ? [] : await api.ListAliasesAsync(function.Name, cancellationToken);
            IReadOnlyList<ProvisionedConcurrencyRecord> provisioned = manifest.ProvisionedConcurrency is null
                ? []
                : await api.ListProvisionedConcurrencyAsync(function.Name, cancellationToken);
            deployed.Add(new DeployedFunction(function, versions, aliases, provisioned));
        }

        return deployed;
    }
}
