using System.Text.Json.Serialization;

namespace Nimbus.Server.Storage;

/// <summary>How the deployments table serializes a strategy's fields and the watched alarm names.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class DeploymentJsonContext : JsonSerializerContext;
