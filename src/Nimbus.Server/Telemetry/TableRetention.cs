using Nimbus.Core.Telemetry;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Telemetry;

/// <summary>One telemetry table and the policy that bounds it.</summary>
public sealed record TableRetention(TelemetryTable Table, RetentionPolicy Policy);
