using System.Text.Json.Serialization;

namespace Nimbus.Server.Deployments;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HookPayload))]
internal sealed partial class HookJsonContext : JsonSerializerContext;
