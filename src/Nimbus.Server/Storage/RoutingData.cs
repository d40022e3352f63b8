using Nimbus.Core.Functions;

namespace Nimbus.Server.Storage;

/// <summary>Everything the routing snapshot is built from, read in one go.</summary>
public sealed record RoutingData(
    IReadOnlyList<FunctionRecord> Functions,
    IReadOnlyList<VersionRecord> Versions,
    IReadOnlyList<AliasRecord> Aliases,
    IReadOnlyList<ProvisionedConcurrencyRecord> ProvisionedConcurrency);
