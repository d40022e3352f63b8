using System.Text.Json.Serialization;
using Nimbus.Core.Events;

namespace Nimbus.Server.Storage;

/// <summary>The stored JSON of an async event's attempt history (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<AsyncAttempt>))]
[JsonSerializable(typeof(List<WebhookAttempt>))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
