using System.Text.Json.Serialization;
using Nimbus.Core.Functions;

namespace Nimbus.Server.Storage;

/// <summary>How stores serialize a <see cref="FunctionConfig"/> into their <c>config</c> columns (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FunctionConfig))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
