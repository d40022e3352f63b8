using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Server.Deployments.Shadow;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Deployments;

/// <summary>
/// Drives every deployment in progress: each tick reads it, asks <see cref="DeploymentController.Decide"/>, writes
/// the decision to the store, and only then moves the alias and starts hooks. A new loop over the same store (a
/// restart, even after <c>kill -9</c>) continues from the last written step; an alias write lost to a crash is
/// repaired from the persisted state (<see cref="DeploymentController.WeightsFor"/>).
/// </summary>
public sealed partial class DeploymentLoop : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly IDeploymentStore _deployments;
    private readonly INimbusStore _store;
    private readonly RoutingState _routing;
    private readonly IDeploymentSignals _signals;
    private readonly IDeploymentHookRunner _hooks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _tickLock = new(1, 1);
    private readonly StickyRoutes _sticky;
    private readonly DeploymentAlarmStates? _alarmStates;
    private readonly DeploymentRollbackNotifier? _notifier;
    private readonly ShadowRoutes _shadows;
    private readonly ShadowReports? _shadowReports;
    private readonly Dictionary<string, long> _savedShadowVersions = new(StringComparer.Ordinal);

    public DeploymentLoop(
        IDeploymentStore deployments, INimbusStore store, RoutingState routing, IDeploymentSignals signals,
        IDeploymentHookRunner hooks, TimeProvider time, ILogger<DeploymentLoop> logger, StickyRoutes? sticky = null,
        DeploymentAlarmStates? alarmStates = null, DeploymentRollbackNotifier? notifier = null, ShadowRoutes? shadows = null,
        ShadowReports? shadowReports = null)
    {
        _shadowReports = shadowReports;
        _shadows = shadows ?? new ShadowRoutes();
        _sticky = sticky ?? new StickyRoutes();
        _alarmStates = alarmStates;
        _notifier = notifier;
        _deployments = deployments;
        _store = store;
        _routing = routing;
        _signals = signals;
        _hooks = hooks;
        _time = time;
        _logger = logger;
    }

    /// <summary>Decides and applies one step for every deployment in progress, as of <paramref name="now"/>.</summary>
    public async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _tickLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var deployment in await _deployments.ListActiveDeploymentsAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // After a restart, a shadow deployment's counts continue from its saved report.
                    if (_shadowReports is not null)
                    {
                        await _shadowReports.ResumeSavedAsync(deployment, _deployments, cancellationToken).ConfigureAwait(false);
                    }

                    await StepAsync(deployment, now, cancellationToken).ConfigureAwait(false);
                    await SaveShadowReportAsync(deployment, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One broken deployment must not stop the others; it is retried next tick.
                    Log.StepFailed(_logger, deployment.Id, exception);
                }
            }
        }
        finally
        {
            _tickLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            do
            {
                try
                {
                    await TickAsync(_time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Log.TickFailed(_logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the persisted state is where the next start resumes.
        }
    }

    private async Task StepAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var alias = await _store.GetAliasAsync(deployment.FunctionName, deployment.Alias, cancellationToken).ConfigureAwait(false);
        var command = await _deployments.GetDeploymentCommandAsync(deployment.Id, cancellationToken).ConfigureAwait(false);
        DeploymentDecision decision;
        if (alias is null)
        {
            decision = DeploymentController.Fail(deployment, now, $"alias {deployment.FunctionName}:{deployment.Alias} no longer exists");
        }
        else if (await _store.GetVersionAsync(deployment.FunctionName, deployment.ToVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            decision = DeploymentController.Fail(deployment, now, $"version {deployment.ToVersion} of '{deployment.FunctionName}' no longer exists");
        }
        else
        {
            var observed = await _signals.ObserveAsync(deployment, now, cancellationToken).ConfigureAwait(false);
            _alarmStates?.Set(deployment.Id, observed.Alarms);
            var hookResults = await _deployments.GetHookResultsAsync(deployment.Id, cancellationToken).ConfigureAwait(false);
            var inputs = new DeploymentInputs(observed.Alarms, hookResults, observed.Verdict, observed.Budget, observed.FreezeWindows, command);
            decision = DeploymentController.Decide(deployment, now, inputs);
        }

        if (!decision.Changed)
        {
            // Nothing to decide; make good an alias write a crash may have lost after the step was persisted.
            if (alias is not null)
            {
                await WriteAliasAsync(alias, DeploymentController.WeightsFor(deployment), deployment, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // The step is written before it acts: if this process dies after this line, the next one repairs the alias.
        if (!await _deployments.UpdateDeploymentAsync(decision.Deployment, deployment.UpdatedAt, command, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Log.Stepped(_logger, deployment.Id, deployment.State, decision.Deployment.State, decision.Reason);
        if (alias is null)
        {
            // Failed because the alias is gone: nothing to write, but its copies must stop.
            _shadows.Clear(deployment.FunctionName, deployment.Alias);
        }

        if (alias is not null && decision.Weights is { } weights)
        {
            await WriteAliasAsync(alias, weights, decision.Deployment, cancellationToken).ConfigureAwait(false);
        }

        if (decision.InvokeHook is { } hook)
        {
            _hooks.Start(decision.Deployment, hook);
        }

        if (decision.RolledBackBy is { } alarm && _notifier is not null)
        {
            await NotifyAsync(decision.Deployment, alarm, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Saves a shadow deployment's report when it changed since the last save (at most once a tick).</summary>
    private async Task SaveShadowReportAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        if (_shadowReports is null || deployment.Strategy.Kind != DeploymentStrategyKind.Shadow || !_shadowReports.Tracks(deployment.Id))
        {
            return;
        }

        var tally = _shadowReports.For(deployment.Id);
        var version = tally.Version;
        if (_savedShadowVersions.TryGetValue(deployment.Id, out var saved) && saved == version)
        {
            return;
        }

        await _deployments.SaveShadowReportAsync(deployment.Id, tally.Snapshot(), cancellationToken).ConfigureAwait(false);
        _savedShadowVersions[deployment.Id] = version;
    }

    private async Task NotifyAsync(Deployment deployment, WatchedAlarm alarm, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _notifier!.NotifyAsync(deployment, alarm, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The rollback is done and recorded; a notification that cannot be queued must not undo or repeat it.
            Log.NotifyFailed(_logger, deployment.Id, alarm.Name, exception);
        }
    }

    private async Task WriteAliasAsync(AliasRecord alias, AliasWeights weights, Deployment deployment, CancellationToken cancellationToken)
    {
        // A sticky share is the invoker's to apply, by key (StickyRoutes), and a shadow's copies too (ShadowRoutes).
        // Either way the alias itself serves the old version alone, which is what a shadow's callers must see.
        if (weights is { Mode: TrafficMode.Shadow, AdditionalVersion: { } shadowVersion })
        {
            _shadows.Set(alias.FunctionName, alias.Name, deployment.Id, shadowVersion, Math.Clamp(weights.AdditionalWeight * 100, 0, 100));
        }
        else
        {
            _shadows.Clear(alias.FunctionName, alias.Name);
        }

        _sticky.Set(alias.FunctionName, alias.Name,
            weights is { Mode: TrafficMode.Sticky, AdditionalVersion: { } candidate } && deployment.Strategy.Key is { } key
                ? new StickySplit(deployment.Id, weights.Version, candidate, weights.AdditionalWeight * 100, key)
                : null);
        var target = weights.Mode == TrafficMode.Weighted ? weights : AliasWeights.Only(weights.Version);
        var (additional, weight) = target.AdditionalVersion is { } extra && target.AdditionalWeight > 0
            ? ((int?)extra, target.AdditionalWeight)
            : (null, 0d);
        if (alias.Version == target.Version && alias.AdditionalVersion == additional && alias.AdditionalWeight.Equals(weight))
        {
            return;
        }

        await _store.UpsertAliasAsync(alias with { Version = target.Version, AdditionalVersion = additional, AdditionalWeight = weight }, cancellationToken)
            .ConfigureAwait(false);
        await _routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Deployment {DeploymentId}: {From} -> {To}: {Reason}")]
        public static partial void Stepped(ILogger logger, string deploymentId, DeploymentState from, DeploymentState to, string reason);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Deployment {DeploymentId} could not take its step; retrying next tick")]
        public static partial void StepFailed(ILogger logger, string deploymentId, Exception exception);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Deployment loop tick failed")]
        public static partial void TickFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Deployment {DeploymentId} was rolled back by alarm {AlarmName}, but its notification could not be queued")]
        public static partial void NotifyFailed(ILogger logger, string deploymentId, string alarmName, Exception exception);
    }
}
