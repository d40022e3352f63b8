using System.Text.Json.Serialization;
using Nimbus.Core.Queues;

namespace Nimbus.Server.Storage;

/// <summary>The stored JSON of a queue's configuration and of a message's attributes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QueueConfig))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class QueueJsonContext : JsonSerializerContext;
