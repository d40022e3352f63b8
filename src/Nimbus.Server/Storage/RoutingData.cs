using Nimbus.Core.Functions;

namespace Nimbus.Server.Storage;

/// <summary>Everything the routing snapshot is built from, read in one go.</summary>
public sealed record RoutingData(
    IReadOnlyList<FunctionRecord> Functions,
    IReadOnlyList<VersionRecord> Versions,
    IReadOnlyList<AliasRecord> Aliases,
    IReadOnlyList<ProvisionedConcurrencyRecord> ProvisionedConcurrency)
{
    /// <summary>The control-plane generation this data was read at (see <see cref="INimbusStore.GetControlGenerationAsync"/>).</summary>
    public long Generation { get; init; }

    /// <summary>Rows that could not be read and are missing from the lists above.</summary>
    public IReadOnlyList<StoredRowIssue> Skipped { get; init; } = [];
}
