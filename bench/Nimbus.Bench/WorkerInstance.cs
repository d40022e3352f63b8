namespace Nimbus.Bench;

/// <summary>The fields of <c>GET /api/v1/instances</c> the harness needs (parsed leniently, see <see cref="NimbusClient"/>).</summary>
public sealed record WorkerInstance(string Id, string FunctionName, int ProcessId, string State, double? InitDurationMs);
