using System.Text.Json.Serialization;
using Nimbus.Core.Events;
using Nimbus.Core.Queues;
using Nimbus.Core.Schedules;

namespace Nimbus.Core.Functions;

/// <summary>What the user declared for a function (its <c>$LATEST</c> configuration). Immutable.</summary>
public sealed record FunctionConfig
{
    public const int DefaultMemoryMb = 128;
    public const double DefaultTimeoutSeconds = 3;

    public required string Name { get; init; }
    public required string Runtime { get; init; }

    /// <summary>node/python: <c>file.export</c>; dotnet: the assembly name; provided: informational.</summary>
    public string Handler { get; init; } = "";

    public int MemoryMb { get; init; } = DefaultMemoryMb;
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Most concurrent executions the function may use; 0 disables it; null means no reservation.</summary>
    public int? ReservedConcurrency { get; init; }

    public string? Description { get; init; }
    public IReadOnlyList<HttpRouteConfig> Routes { get; init; } = [];

    /// <summary>Async invocation settings; null is Lambda's defaults (omitted from the stored JSON so older texts still match).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AsyncConfig? Async { get; init; }

    /// <summary>Schedules that invoke the function asynchronously; null is none (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ScheduleConfig>? Schedules { get; init; }

    /// <summary>Queues the function consumes (event source mappings); null is none (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EventSourceConfig>? Sources { get; init; }
}
