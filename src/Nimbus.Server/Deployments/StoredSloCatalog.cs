using Nimbus.Core.Slos;
using Nimbus.Core.Functions;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>The objectives a function declares in its stored configuration (the manifest's <c>slos:</c>).</summary>
public sealed class StoredSloCatalog(INimbusStore store) : ISloCatalog
{
    public async Task<IReadOnlyList<SloDefinition>> ListAsync(string function, CancellationToken cancellationToken)
    {
        var record = await store.GetFunctionAsync(function, cancellationToken).ConfigureAwait(false);
        if (record?.Config.Slos is not { Count: > 0 } configs)
        {
            return [];
        }

        // Stored configurations passed validation; one that no longer does is skipped, not fatal.
        var errors = new List<ValidationError>();
        var definitions = new List<SloDefinition>(configs.Count);
        for (var i = 0; i < configs.Count; i++)
        {
            if (SloConfigs.ToDefinition(function, configs[i], $"slos[{i}]", errors) is { } definition)
            {
                definitions.Add(definition);
            }
        }

        return definitions;
    }
}
