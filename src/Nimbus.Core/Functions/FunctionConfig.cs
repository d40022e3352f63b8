using System.Text.Json.Serialization;
using Nimbus.Core.Alarms;
using Nimbus.Core.Events;
using Nimbus.Core.Queues;
using Nimbus.Core.Schedules;
using Nimbus.Core.Security.Policy;
using Nimbus.Core.Slos;

namespace Nimbus.Core.Functions;

/// <summary>What the user declared for a function (its <c>$LATEST</c> configuration). Immutable.</summary>
public sealed record FunctionConfig
{
    public const int DefaultMemoryMb = 128;
    public const double DefaultTimeoutSeconds = 3;

    /// <summary>Lambda's default size of <c>/tmp</c>, in MB.</summary>
    public const int DefaultEphemeralStorageMb = 512;

    public required string Name { get; init; }
    public required string Runtime { get; init; }

    /// <summary>node/python: <c>file.export</c>; dotnet: the assembly name; provided: informational.</summary>
    public string Handler { get; init; } = "";

    public int MemoryMb { get; init; } = DefaultMemoryMb;
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Size of the function's private <c>/tmp</c> in MB (512-10240); null is Lambda's 512 (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EphemeralStorageMb { get; init; }

    /// <summary>The size of <c>/tmp</c> in MB that applies: the declared one or Lambda's default.</summary>
    [JsonIgnore]
    public int EffectiveEphemeralStorageMb => EphemeralStorageMb ?? DefaultEphemeralStorageMb;

    /// <summary>Most concurrent executions the function may use; 0 disables it; null means no reservation.</summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>
    /// How many invocations one instance serves at once (1-64, as Lambda Managed Instances' per-instance concurrency);
    /// null is 1 (omitted from the stored JSON).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ConcurrencyPerInstance { get; init; }

    /// <summary>The invocations one instance serves at once: the declared number or 1.</summary>
    [JsonIgnore]
    public int EffectiveConcurrencyPerInstance => ConcurrencyPerInstance ?? 1;

    public string? Description { get; init; }
    public IReadOnlyList<HttpRouteConfig> Routes { get; init; } = [];

    /// <summary>Async invocation settings; null is Lambda's defaults (omitted from the stored JSON so older texts still match).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AsyncConfig? Async { get; init; }

    /// <summary>Schedules that invoke the function asynchronously; null is none (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ScheduleConfig>? Schedules { get; init; }

    /// <summary>Calls past 16 function-to-function hops: null is <see cref="Tracing.RecursiveLoop.Terminate"/> (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Tracing.RecursiveLoop? RecursiveLoop { get; init; }
    /// <summary>Built-in idempotency; null is none (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Idempotency.IdempotencyConfig? Idempotency { get; init; }
    /// <summary>What the function may do through the platform (default deny); null is no grant (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PolicyStatement>? Policy { get; init; }
    /// <summary>Alarms declared beside the function (<c>alarms:</c>); null is none (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AlarmConfig>? Alarms { get; init; }

    /// <summary>Changes to the default alarms (<c>defaultAlarms:</c>), keyed by <see cref="DefaultAlarmKeys"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, DefaultAlarmConfig>? DefaultAlarms { get; init; }

    /// <summary>Service level objectives (<c>slos:</c>); null is none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SloConfig>? Slos { get; init; }

    /// <summary>Changes to the default objective (<c>defaultSlo:</c>, <see cref="DefaultSlo"/>); null keeps it as it is.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DefaultSloConfig? DefaultSlo { get; init; }
    /// <summary>Queues the function consumes (event source mappings); null is none (omitted from the stored JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EventSourceConfig>? Sources { get; init; }
}
