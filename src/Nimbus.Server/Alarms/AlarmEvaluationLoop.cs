using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Alarms;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Alarms;

/// <summary>
/// Every <see cref="Interval"/> (on the <see cref="TimeProvider"/>): brings the alarms in step with the functions
/// (<see cref="AlarmSync"/>), evaluates each alarm over the metric store with <see cref="AlarmEvaluator"/>, persists each
/// state change with its reason, and only then hands it to the <see cref="AlarmNotifier"/>.
/// </summary>
public sealed partial class AlarmEvaluationLoop(
    SqliteAlarmStore alarms,
    AlarmDatapointReader datapoints,
    AlarmSync sync,
    AlarmNotifier notifier,
    Slos.SloStatusService slos,
    TimeProvider time,
    ILogger<AlarmEvaluationLoop> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Raised after each timer-driven pass with the transitions it recorded (possibly none);
    /// their notifications are already queued by then.</summary>
    public event Action<IReadOnlyList<AlarmTransition>>? Evaluated;

    /// <summary>One pass at <paramref name="now"/>; returns the transitions it recorded.</summary>
    public async Task<IReadOnlyList<AlarmTransition>> TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await sync.SyncAllAsync(now, cancellationToken).ConfigureAwait(false);
        var transitions = new List<AlarmTransition>();
        var objectives = new Dictionary<string, IReadOnlyList<Core.Api.SloStatus>>(StringComparer.Ordinal);
        foreach (var alarm in await alarms.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            AlarmEvaluation evaluation;
            if (Core.Slos.SloAlarms.Parse(alarm.Definition.Metric) is { } burn)
            {
                var function = alarm.Definition.Dimensions.Function;
                if (!objectives.TryGetValue(function, out var statuses))
                {
                    objectives[function] = statuses = await slos.ListAsync(function, now, cancellationToken).ConfigureAwait(false);
                }

                if (statuses.FirstOrDefault(s => s.Name == burn.Slo)?.BurnRates.FirstOrDefault(b => b.Rule == burn.Rule) is not { } rate)
                {
                    continue;
                }

                var (state, reason) = Core.Slos.SloAlarms.Judge(rate.Threshold, rate.Rule, rate.LongBurnRate, rate.ShortBurnRate, rate.Firing);
                evaluation = new AlarmEvaluation(state, reason, []);
            }
            else
            {
                var points = await datapoints.ReadAsync(alarm.Definition, now, cancellationToken).ConfigureAwait(false);
                evaluation = AlarmEvaluator.Evaluate(alarm.Definition, alarm.State, points, now);
            }

            if (evaluation.State == alarm.State)
            {
                continue;
            }

            var transition = new AlarmTransition(alarm.Definition.Name, now, alarm.State, evaluation.State, evaluation.Reason);
            await alarms.RecordTransitionAsync(transition, cancellationToken).ConfigureAwait(false);
            LogTransition(alarm.Definition.Name, AlarmStateNames.ToName(alarm.State), AlarmStateNames.ToName(evaluation.State), evaluation.Reason);
            transitions.Add(transition);
            await notifier.OnTransitionAsync(alarm, transition, cancellationToken).ConfigureAwait(false);
        }

        return transitions;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var transitions = await TickAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                    Evaluated?.Invoke(transitions);
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
                {
                    // The next tick tries again; alarms keep their last persisted state meanwhile.
                    LogTickFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Alarm {AlarmName} went from {OldState} to {NewState}: {Reason}")]
    private partial void LogTransition(string alarmName, string oldState, string newState, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Alarm evaluation failed; retrying on the next tick")]
    private partial void LogTickFailed(Exception exception);
}
