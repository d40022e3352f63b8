using System.Globalization;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Instances;
using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;

namespace Nimbus.Server.Runtime;

// Instance lifecycle: cold start, init failures with backoff, deadline, crash, stop, eviction, retirement, shutdown.
public sealed partial class Dispatcher
{
    private VersionPool GetPool(ExecutionTarget target) =>
        _pools.TryGetValue(target.PoolKey, out var pool) ? pool : _pools.GetOrAdd(target.PoolKey, static (_, t) => new VersionPool(t), target);

    /// <summary>
    /// Starts an instance and waits until it asks for work; it is still Starting then (the caller moves it on). On
    /// failure returns the error the caller gets.
    /// </summary>
    internal async Task<(Instance? Instance, InvocationResult? Failure)> StartInstanceAsync(
        VersionPool pool, bool provisioned, string requestId, CancellationToken cancellationToken, int reservedSlots = 0)
    {
        var reservedBy = pool;
        var now = _time.GetUtcNow();
        if (!pool.MayStart(now))
        {
            pool.CancelReservation(reservedSlots);
            var wait = InitBackoffPolicy.Delay(pool.ConsecutiveInitFailures) - (now - pool.LastInitFailureAt);
            return (null, InitFailure(requestId, pool.LastInitErrorType ?? ErrorTypes.InitError,
                string.Create(CultureInfo.InvariantCulture,
                    $"{pool.LastInitErrorMessage} (init failed {pool.ConsecutiveInitFailures} times in a row; next attempt in {Math.Max(0, wait.TotalSeconds):F1} s)")));
        }

        if (!_ports.TryRent(out var port) && !(await TryEvictIdleAsync(cancellationToken).ConfigureAwait(false) && _ports.TryRent(out port)))
        {
            pool.CancelReservation(reservedSlots);
            return (null, InvocationResult.Throttled(requestId, ThrottleReason.PlatformConcurrency, _ports.Capacity));
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _instanceCounter):x4}{Random.Shared.Next():x8}");
        var instance = new Instance(id, pool, port, provisioned, _time);
        while (!pool.TryAdd(instance))
        {
            // The pool was retired and emptied while this caller waited for a start slot. The caller resolved this
            // target, so it is served by it: in a pool that is retired from the start (the instance serves this
            // invocation, then stops) and that the dispatcher knows about (shutdown and the watchdog see the instance).
            pool = _pools.AddOrUpdate(pool.Key, static (_, t) => new VersionPool(t, retired: true),
                static (_, existing, t) => existing.IsClosed ? new VersionPool(t, retired: true) : existing, pool.Target);
            instance = new Instance(id, pool, port, provisioned, _time);
        }

        Volatile.Write(ref _byPort[port], instance);
        if (!ReferenceEquals(pool, reservedBy))
        {
            // It starts in a replacement pool: the reservation moves with it.
            reservedBy.CancelReservation(reservedSlots);
            reservedSlots = 0;
        }

        pool.BeginStarting(instance, reservedSlots);
        var started = await LaunchAndInitAsync(pool, instance, requestId, cancellationToken).ConfigureAwait(false);
        if (started.Failure is not null)
        {
            pool.EndStarting(instance);
        }

        return started;
    }

    private async Task<(Instance? Instance, InvocationResult? Failure)> LaunchAndInitAsync(
        VersionPool pool, Instance instance, string requestId, CancellationToken cancellationToken)
    {

        try
        {
            await _launcher.StartAsync(instance, _onExited, cancellationToken).ConfigureAwait(false);
            if (instance.State == InstanceState.Draining)
            {
                _launcher.Kill(instance); // stopped while its process was being spawned: that kill found nothing to kill
            }
        }
        catch (WorkerLaunchException ex)
        {
            Release(instance);
            pool.RecordInitFailure(ErrorTypes.InitError, ex.Message, _time.GetUtcNow());
            return (null, InitFailure(requestId, ErrorTypes.InitError, ex.Message));
        }

        InitResult init;
        try
        {
            init = await instance.Initialized.WaitAsync(InitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            init = new InitResult(false, ErrorTypes.InitError, string.Create(CultureInfo.InvariantCulture, $"Init timed out after {InitTimeout.TotalSeconds:F2} seconds"));
        }
        catch (OperationCanceledException)
        {
            // The caller went away (or the platform is stopping): not the function's failure, so no backoff.
            Stop(instance, "the start was cancelled");
            return (null, InitFailure(requestId, ErrorTypes.InitError, "Init was cancelled before it completed"));
        }

        if (!init.Succeeded)
        {
            pool.RecordInitFailure(init.ErrorType ?? ErrorTypes.InitError, init.ErrorMessage ?? "init failed", _time.GetUtcNow());
            Log.InitFailed(_logger, pool.Target.FunctionName, pool.Target.Version, init.ErrorType, init.ErrorMessage);
            Stop(instance, "init failed");
            return (null, InitFailure(requestId, init.ErrorType ?? ErrorTypes.InitError, init.ErrorMessage ?? "init failed"));
        }

        pool.RecordInitSuccess();
        _launcher.Initialized(instance);
        return (instance, null);
    }

    private static InvocationResult InitFailure(string requestId, string errorType, string message) => new()
    {
        RequestId = requestId,
        Outcome = InvocationOutcome.InitError,
        ErrorType = errorType,
        Body = LambdaError.Serialize(errorType, message),
    };

    /// <summary>Starts a warm (provisioned) instance that waits idle for traffic.</summary>
    internal async Task<bool> StartWarmAsync(ExecutionTarget target, CancellationToken cancellationToken)
    {
        var pool = GetPool(target);
        var (instance, _) = await StartInstanceAsync(pool, provisioned: true, requestId: "provisioning", cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return false;
        }

        if (!instance.Pool.TryReturnIdle(instance, _time.GetUtcNow()))
        {
            Stop(instance, "its version was replaced");
        }

        return true;
    }

    private void OnDeadline(Invocation invocation)
    {
        var instance = invocation.Instance!;
        var timeout = instance.Target.Config.TimeoutSeconds;
        if (instance.Slots > 1)
        {
            if (invocation.IsCompleted)
            {
                return;
            }

            // A shared instance also serves other invocations: it takes no new work and stops once they have ended
            // (docs/design/concurrency-per-instance.md). Recycle first, so the freed slot is not handed out again.
            instance.Pool.Recycle(instance);
            invocation.TryFail(InvocationOutcome.Timeout, ErrorTypes.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"Task timed out after {timeout:F2} seconds"));
            return;
        }

        if (invocation.TryFail(InvocationOutcome.Timeout, ErrorTypes.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"Task timed out after {timeout:F2} seconds")))
        {
            Stop(instance, "the invocation timed out");
        }
    }

    /// <summary>Called by the memory watchdog when a worker's resident memory exceeds its function's setting.</summary>
    internal void OnMemoryExceeded(Instance instance, long residentBytes)
    {
        var limitMb = instance.Target.Config.MemoryMb;
        var usedMb = residentBytes / (1024 * 1024);
        // The process's memory cannot be split by invocation: each one it serves fails, each with its own request id.
        foreach (var invocation in instance.InFlight())
        {
            invocation.TryFail(InvocationOutcome.OutOfMemory, ErrorTypes.OutOfMemory,
                $"RequestId: {invocation.RequestId} Error: Runtime exited with error: out of memory (used {usedMb} MB of {limitMb} MB)");
        }

        Stop(instance, $"it used {usedMb} MB, over its memory size of {limitMb} MB");
    }

    private void OnExited(Instance instance, int exitCode)
    {
        // Atomic with the hand-over: the invocations the worker had are returned here, and a later hand-over is refused.
        var invocations = instance.MarkDead();
        var how = ExitDescription(exitCode);
        if (!instance.IsInitialized)
        {
            var output = instance.Logs.RecentOutput();
            instance.FailInit(ErrorTypes.ExitError,
                $"Runtime exited with error: {how} before it asked for work" + (output.Length > 0 ? $". Last output: {output}" : ""));
        }

        foreach (var invocation in invocations)
        {
            invocation.TryFail(InvocationOutcome.Crashed, ErrorTypes.ExitError,
                $"RequestId: {invocation.RequestId} Error: Runtime exited with error: {how}");
        }

        Release(instance);
        _telemetry.InstanceExited(instance, how);
    }

    private static string ExitDescription(int exitCode) => exitCode > 128
        ? string.Create(CultureInfo.InvariantCulture, $"signal {exitCode - 128}{(exitCode == 137 ? " (killed)" : "")}")
        : string.Create(CultureInfo.InvariantCulture, $"exit status {exitCode}");

    /// <summary>Forgets a dead instance: it leaves its pool and its port goes back to the port pool.</summary>
    private void Release(Instance instance)
    {
        instance.MarkDead();
        if (instance.Pool.Remove(instance))
        {
            _pools.TryRemove(new KeyValuePair<string, VersionPool>(instance.Pool.Key, instance.Pool));
        }

        if (Interlocked.CompareExchange(ref _byPort[instance.Port], null, instance) == instance)
        {
            _ports.Return(instance.Port);
        }

        instance.MarkExited();
    }

    /// <summary>Stops an instance: no more work for it, its process tree is killed; cleanup follows its exit.</summary>
    public void Stop(Instance instance, string reason)
    {
        if (!instance.BeginDrain())
        {
            return; // dead already
        }

        Log.StoppingInstance(_logger, instance.Id, instance.Target.FunctionName, instance.Target.Version, reason);
        _launcher.Kill(instance);
    }

    /// <summary>Stops the least recently used idle instance that is not provisioned, to free a runtime port.</summary>
    private async Task<bool> TryEvictIdleAsync(CancellationToken cancellationToken)
    {
        Instance? oldest = null;
        foreach (var instance in AllInstances())
        {
            if (instance.State == InstanceState.Idle && !instance.Provisioned
                && (oldest is null || instance.Statistics.LastUsedAt < oldest.Statistics.LastUsedAt))
            {
                oldest = instance;
            }
        }

        if (oldest is null || !oldest.TryClaimIdleForStop())
        {
            return false;
        }

        Stop(oldest, "the platform instance limit was reached");
        try
        {
            await oldest.Exited.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            Log.InstanceDidNotExit(_logger, oldest.Id, oldest.ProcessId);
            return false;
        }
    }

    /// <summary>
    /// Applies a new routing snapshot: the pools of targets that no longer exist are retired. Their idle instances stop
    /// now and busy ones when their invocation is done. An instance still starting for a caller that waits finishes its
    /// init and serves that caller first (a configuration change never fails a waiting call); a provisioned one that is
    /// still starting has nobody waiting and stops now.
    /// </summary>
    public void ApplySnapshot(RoutingSnapshot snapshot)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var totalReserved = 0;
        foreach (var function in snapshot.Functions)
        {
            if (function.Latest is { } latest)
            {
                live.Add(latest.PoolKey);
            }

            foreach (var version in function.Versions.Values)
            {
                live.Add(version.PoolKey);
            }

            totalReserved += Math.Max(0, function.Function.Config.ReservedConcurrency ?? 0);
        }

        _limiter.SetTotalReserved(totalReserved);
        foreach (var pool in _pools.Values)
        {
            if (live.Contains(pool.Key))
            {
                continue;
            }

            foreach (var instance in pool.Retire())
            {
                if (instance.TryClaimIdleForStop() || (instance.Provisioned && instance.State == InstanceState.Starting))
                {
                    Stop(instance, "its version was replaced or deleted");
                }
            }

            if (pool.IsClosed)
            {
                _pools.TryRemove(new KeyValuePair<string, VersionPool>(pool.Key, pool));
            }
        }
    }

    /// <summary>Graceful shutdown: refuse new work, let in-flight invocations finish (up to a limit), stop every worker.</summary>
    public async Task ShutdownAsync(TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        _accepting = false;
        var deadline = _time.GetUtcNow() + drainTimeout;
        while (InFlight > 0 && _time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None).ConfigureAwait(false);
        }

        var instances = AllInstances().ToList();
        foreach (var instance in instances)
        {
            Stop(instance, "the platform is shutting down");
        }

        foreach (var instance in instances)
        {
            try
            {
                await instance.Exited.WaitAsync(TimeSpan.FromSeconds(5), _time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.InstanceDidNotExit(_logger, instance.Id, instance.ProcessId);
            }
        }
    }
}
