using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelloDotnet;

/// <summary>
/// The event's and the result's JSON contract, generated at compile time: no reflection when the first event is read,
/// which keeps it off the cold start (docs/runtimes.md#cold-starts). Web defaults: camelCase, case-insensitive.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GreetingRequest))]
[JsonSerializable(typeof(Greeting))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
