using Nimbus.Core.Functions;

namespace Nimbus.Core.Api;

/// <summary>A function as the management API shows it: its <c>$LATEST</c> configuration plus code and bookkeeping.</summary>
public sealed record FunctionInfo(
    string Name,
    string Runtime,
    string Handler,
    int MemoryMb,
    double TimeoutSeconds,
    IReadOnlyDictionary<string, string> Environment,
    int? ReservedConcurrency,
    string? Description,
    IReadOnlyList<HttpRouteConfig> Routes,
    string? CodeSha256,
    long CodeSize,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Events.AsyncConfig? Async = null,
    Tracing.RecursiveLoop? RecursiveLoop = null,
    Idempotency.IdempotencyConfig? Idempotency = null,
    IReadOnlyList<Security.Policy.PolicyStatement>? Policy = null,
    IReadOnlyList<Alarms.AlarmConfig>? Alarms = null,
    IReadOnlyDictionary<string, Alarms.DefaultAlarmConfig>? DefaultAlarms = null,
    IReadOnlyList<Slos.SloConfig>? Slos = null)
{
    /// <summary>Size of the function's private <c>/tmp</c> in MB.</summary>
    public int EphemeralStorage { get; init; } = FunctionConfig.DefaultEphemeralStorageMb;

    /// <summary>Invocations one instance serves at once.</summary>
    public int ConcurrencyPerInstance { get; init; } = 1;
    public IReadOnlyList<Schedules.ScheduleConfig>? Schedules { get; init; }
    public IReadOnlyList<Queues.EventSourceConfig>? Sources { get; init; }
    public Slos.DefaultSloConfig? DefaultSlo { get; init; }

    public static FunctionInfo From(FunctionRecord record) => new(
        record.Config.Name, record.Config.Runtime, record.Config.Handler, record.Config.MemoryMb,
        record.Config.TimeoutSeconds, record.Config.Environment, record.Config.ReservedConcurrency,
        record.Config.Description, record.Config.Routes, record.CodeSha256, record.CodeSize, record.Revision,
        record.CreatedAt, record.UpdatedAt, record.Config.Async, record.Config.RecursiveLoop, record.Config.Idempotency, record.Config.Policy,
        record.Config.Alarms, record.Config.DefaultAlarms, record.Config.Slos)
    {
        EphemeralStorage = record.Config.EffectiveEphemeralStorageMb,
        ConcurrencyPerInstance = record.Config.EffectiveConcurrencyPerInstance,
        Schedules = record.Config.Schedules,
        Sources = record.Config.Sources,
        DefaultSlo = record.Config.DefaultSlo,
    };
}
