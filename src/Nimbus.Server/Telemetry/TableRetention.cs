using Nimbus.Core.Telemetry;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Telemetry;

/// <summary>One telemetry table and the policy that bounds it.</summary>
/// <param name="Store">The store that holds the table; null for the pruner's own (<c>nimbus.db</c>).</param>
public sealed record TableRetention(TelemetryTable Table, RetentionPolicy Policy, ITelemetryTableStore? Store = null);
