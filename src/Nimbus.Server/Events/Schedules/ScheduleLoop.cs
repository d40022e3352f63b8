using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Events;
using Nimbus.Core.Functions;
using Nimbus.Core.Schedules;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Schedules;

/// <summary>
/// Fires schedules: every <see cref="Interval"/> it reads the declared schedules from the functions, and claims and
/// enqueues each due tick in the store (<see cref="SqliteScheduleStore.TickAsync"/>), so the async queue's retries,
/// dead letters and destinations apply to scheduled runs. Ticks are whole minutes; a one-second pass keeps them
/// within EventBridge's one-minute precision at a cost of one read of the functions.
/// </summary>
public sealed partial class ScheduleLoop : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly INimbusStore _functions;
    private readonly SqliteScheduleStore _schedules;
    private readonly AsyncEventSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleLoop> _logger;

    public ScheduleLoop(INimbusStore functions, SqliteScheduleStore schedules, AsyncEventSignal signal, TimeProvider time, ILogger<ScheduleLoop> logger)
    {
        _functions = functions;
        _schedules = schedules;
        _signal = signal;
        _time = time;
        _logger = logger;
    }

    /// <summary>One pass at <paramref name="now"/>: syncs the schedules with the functions and fires the due ticks.</summary>
    public async Task<IReadOnlyList<FiredTick>> TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var functions = await _functions.ListFunctionsAsync(cancellationToken).ConfigureAwait(false);
        var fired = await _schedules.TickAsync(Definitions(functions), now, cancellationToken).ConfigureAwait(false);
        foreach (var tick in fired)
        {
            if (tick.RequestId is null)
            {
                Log.QueueFull(_logger, tick.ScheduleId, tick.Time);
            }
            else
            {
                Log.Fired(_logger, tick.ScheduleId, tick.Time, tick.RequestId, tick.CatchUp);
            }
        }

        if (fired.Count > 0)
        {
            _signal.Wake();
        }

        return fired;
    }

    /// <summary>The schedules the functions declare, named <c>{function}-{index}</c>; an unreadable one (stored before a stricter rule) is left out.</summary>
    public static IReadOnlyList<ScheduleDefinition> Definitions(IReadOnlyList<FunctionRecord> functions)
    {
        var definitions = new List<ScheduleDefinition>();
        foreach (var function in functions)
        {
            var schedules = function.Config.Schedules ?? [];
            for (var i = 0; i < schedules.Count; i++)
            {
                var config = schedules[i];
                if (ScheduleExpression.TryParse(config.Expression, out var expression, out _) && ScheduleTimeZone.TryFind(config.Timezone, out var zone, out _))
                {
                    var depth = function.Config.Async?.MaximumQueueDepth ?? AsyncConfig.DefaultMaximumQueueDepth;
                    definitions.Add(new ScheduleDefinition($"{function.Name}-{i}", function.Name, config, expression, zone, depth));
                }
            }
        }

        return definitions;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(_time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed pass claims nothing (its transaction rolled back); the next pass tries again.
                Log.PassFailed(_logger, e);
            }

            try
            {
                await Task.Delay(Interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Schedule {ScheduleId} fired its {TickTime:O} tick as async event {RequestId} (catch-up: {CatchUp})")]
        public static partial void Fired(ILogger logger, string scheduleId, DateTimeOffset tickTime, string requestId, bool catchUp);

        [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Schedule {ScheduleId} dropped its {TickTime:O} tick: the function's async queue is full")]
        public static partial void QueueFull(ILogger logger, string scheduleId, DateTimeOffset tickTime);

        [LoggerMessage(EventId = 802, Level = LogLevel.Error, Message = "A schedule pass failed; the next pass retries")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
