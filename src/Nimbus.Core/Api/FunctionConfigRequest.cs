using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Core.Security.Policy;
using Nimbus.Core.Queues;
using Nimbus.Core.Schedules;

namespace Nimbus.Core.Api;

/// <summary>Body of <c>PUT /api/v1/functions/{name}</c>. Omitted fields take their defaults.</summary>
public sealed record FunctionConfigRequest
{
    public string? Runtime { get; init; }
    public string? Handler { get; init; }
    public int? MemoryMb { get; init; }
    public double? TimeoutSeconds { get; init; }
    public Dictionary<string, string>? Environment { get; init; }
    public int? ReservedConcurrency { get; init; }
    public string? Description { get; init; }
    public List<HttpRouteConfig>? Routes { get; init; }
    public AsyncConfig? Async { get; init; }
    public Tracing.RecursiveLoop? RecursiveLoop { get; init; }

    /// <summary>Size of the function's private <c>/tmp</c> in MB (512-10240); omitted is Lambda's 512.</summary>
    public int? EphemeralStorage { get; init; }

    /// <summary>Invocations one instance serves at once (1-64); omitted is 1.</summary>
    public int? ConcurrencyPerInstance { get; init; }
    public Idempotency.IdempotencyConfig? Idempotency { get; init; }
    public List<PolicyStatement>? Policy { get; init; }
    public List<Alarms.AlarmConfig>? Alarms { get; init; }
    public Dictionary<string, Alarms.DefaultAlarmConfig>? DefaultAlarms { get; init; }
    public List<Slos.SloConfig>? Slos { get; init; }
    public Slos.DefaultSloConfig? DefaultSlo { get; init; }
    public List<ScheduleConfig>? Schedules { get; init; }
    public List<EventSourceConfig>? Sources { get; init; }

    public FunctionConfig ToConfig(string name) => new()
    {
        Name = name,
        Runtime = Runtime ?? "",
        Handler = Handler ?? "",
        MemoryMb = MemoryMb ?? FunctionConfig.DefaultMemoryMb,
        TimeoutSeconds = TimeoutSeconds ?? FunctionConfig.DefaultTimeoutSeconds,
        Environment = Environment ?? new Dictionary<string, string>(),
        ReservedConcurrency = ReservedConcurrency,
        Description = Description,
        Routes = Routes ?? [],
        Async = Async,
        RecursiveLoop = RecursiveLoop,
        EphemeralStorageMb = EphemeralStorage,
        ConcurrencyPerInstance = ConcurrencyPerInstance,
        Idempotency = Idempotency,
        Policy = Policy,
        Alarms = Alarms,
        DefaultAlarms = DefaultAlarms,
        Slos = Slos,
        DefaultSlo = DefaultSlo,
        Schedules = Schedules,
        Sources = Sources,
    };

    public static FunctionConfigRequest From(FunctionConfig config) => new()
    {
        Runtime = config.Runtime,
        Handler = config.Handler,
        MemoryMb = config.MemoryMb,
        TimeoutSeconds = config.TimeoutSeconds,
        Environment = new Dictionary<string, string>(config.Environment),
        ReservedConcurrency = config.ReservedConcurrency,
        Description = config.Description,
        Routes = [.. config.Routes],
        Async = config.Async,
        RecursiveLoop = config.RecursiveLoop,
        EphemeralStorage = config.EphemeralStorageMb,
        ConcurrencyPerInstance = config.ConcurrencyPerInstance,
        Idempotency = config.Idempotency,
        Policy = config.Policy is null ? null : [.. config.Policy],
        Alarms = config.Alarms is null ? null : [.. config.Alarms],
        DefaultAlarms = config.DefaultAlarms is null ? null : new Dictionary<string, Alarms.DefaultAlarmConfig>(config.DefaultAlarms),
        Slos = config.Slos is null ? null : [.. config.Slos],
        DefaultSlo = config.DefaultSlo,
        Schedules = config.Schedules is null ? null : [.. config.Schedules],
        Sources = config.Sources is null ? null : [.. config.Sources],
    };
}
