using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Functions;
using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;
using Nimbus.Core.Tracing;
using Nimbus.Server.Hosting;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Runtime;

/// <summary>
/// Sends invocations to instances: a warm idle one when there is one, else a cold start within the concurrency
/// limits, else a throttle. Owns the instances' lifecycle (start, timeout, crash, stop).
/// </summary>
public sealed partial class Dispatcher
{
    /// <summary>How long a worker may take from process start to its first <c>next</c> (Lambda's init limit).</summary>
    public static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often an invocation is handed to another instance when the one it got died (or began stopping) before the
    /// invocation reached it. The function never saw it, so handing it on is safe; a bound keeps a crash loop finite.
    /// </summary>
    internal const int MaxHandOverAttempts = 3;

    private readonly ConcurrentDictionary<string, VersionPool> _pools = new(StringComparer.Ordinal);
    private readonly Instance?[] _byPort = new Instance?[65536];
    private readonly RuntimePortPool _ports;
    private readonly ConcurrencyLimiter _limiter;
    private readonly IInstanceLauncher _launcher;
    private readonly TelemetrySink _telemetry;
    private readonly TimeProvider _time;
    private readonly NimbusServerOptions _options;
    private readonly ILogger<Dispatcher> _logger;
    private volatile bool _accepting = true;
    private int _inFlight;
    private long _instanceCounter;
    private readonly TimerCallback _onDeadline;
    private readonly Action<Invocation> _onHandedOver;
    private readonly Action<Instance, int> _onExited;
    private readonly SemaphoreSlim _coldStarts;

    public Dispatcher(
        RuntimePortPool ports,
        ConcurrencyLimiter limiter,
        IInstanceLauncher launcher,
        TelemetrySink telemetry,
        TimeProvider time,
        NimbusServerOptions options,
        ILogger<Dispatcher> logger)
    {
        _ports = ports;
        _limiter = limiter;
        _launcher = launcher;
        _telemetry = telemetry;
        _time = time;
        _options = options;
        _logger = logger;
        _onDeadline = state => OnDeadline((Invocation)state!);
        _onHandedOver = invocation => _telemetry.Started(invocation.Instance!, invocation);
        _onExited = OnExited;
        _coldStarts = new SemaphoreSlim(options.MaxConcurrentColdStarts, options.MaxConcurrentColdStarts);
    }

    public bool Accepting => _accepting;
    public int InFlight => Volatile.Read(ref _inFlight);
    public ICollection<VersionPool> Pools => _pools.Values;

    public Instance? GetInstanceByPort(int port) => (uint)port < 65536 ? Volatile.Read(ref _byPort[port]) : null;

    public IEnumerable<Instance> AllInstances()
    {
        foreach (var pool in _pools.Values)
        {
            foreach (var instance in pool.Snapshot())
            {
                yield return instance;
            }
        }
    }

    public async Task<InvocationResult> InvokeAsync(ExecutionTarget target, string? alias, InvokeRequest request, CancellationToken cancellationToken)
    {
        var config = target.Config;
        var (reason, limit) = _limiter.TryAcquire(config.Name, config.ReservedConcurrency);
        if (reason != ThrottleReason.None)
        {
            _telemetry.Throttled(target, alias, request.RequestId, reason);
            return InvocationResult.Throttled(request.RequestId, reason, limit);
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            var pool = GetPool(target);
            for (var attempt = 1; ; attempt++)
            {
                var (instance, coldStart, failure) = await AcquireInstanceAsync(pool, request.RequestId, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    if (failure.Outcome == InvocationOutcome.Throttled)
                    {
                        _telemetry.Throttled(target, alias, request.RequestId, failure.ThrottleReason);
                    }
                    else
                    {
                        _telemetry.InitFailed(target, alias, failure);
                    }

                    return failure;
                }

                if (await RunAsync(instance!, alias, request, coldStart).ConfigureAwait(false) is { } result)
                {
                    return result;
                }

                if (attempt == MaxHandOverAttempts)
                {
                    return new InvocationResult
                    {
                        RequestId = request.RequestId,
                        Outcome = InvocationOutcome.Crashed,
                        ErrorType = ErrorTypes.ExitError,
                        Body = LambdaError.Serialize(ErrorTypes.ExitError,
                            $"RequestId: {request.RequestId} Error: {MaxHandOverAttempts} instances exited before they received the invocation"),
                        ExecutedVersion = target.Version,
                    };
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _limiter.Release(config.Name, config.ReservedConcurrency);
        }
    }

    /// <summary>
    /// A Busy instance for the invocation: the most recently used idle one, else a cold start once a start slot is free
    /// (an instance that goes idle meanwhile serves the request instead). Otherwise the error the caller gets.
    /// </summary>
    private async ValueTask<(Instance? Instance, bool ColdStart, InvocationResult? Failure)> AcquireInstanceAsync(
        VersionPool pool, string requestId, CancellationToken cancellationToken)
    {
        if (pool.TryTakeSlot(out var instance))
        {
            return (instance, false, null);
        }

        // Several slots per instance: an instance still starting may have a slot for this call; wait for it rather than
        // start another (the promise and the reservation are decided under the pool's lock, so a burst starts one
        // instance per N calls).
        var reserved = 0;
        if (pool.SlotsPerInstance > 1)
        {
            while (true)
            {
                var decision = pool.TakeSlotPromiseOrReserve(out instance);
                if (decision == SlotDecision.Taken)
                {
                    return (instance, false, null);
                }

                if (decision == SlotDecision.Start)
                {
                    reserved = pool.SlotsPerInstance - 1;
                    break;
                }

                try
                {
                    await pool.WhenSlotAvailable().WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    pool.ReleasePromise();
                }
            }
        }

        try
        {
            if (!_coldStarts.Wait(0, CancellationToken.None) && await WaitForSlotOrIdleAsync(pool, cancellationToken).ConfigureAwait(false) is { } idle)
            {
                pool.CancelReservation(reserved);
                return (idle, false, null);
            }
        }
        catch
        {
            pool.CancelReservation(reserved);
            throw;
        }

        // The start runs to its end even if this caller goes away: a client whose timeout is shorter than the init
        // would otherwise kill every instance it starts and never find one warm.
        var start = StartForCallerAsync(pool, requestId, reserved);
        (Instance? Instance, InvocationResult? Failure) outcome;
        try
        {
            outcome = await start.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = ParkWhenStartedAsync(start);
            throw;
        }

        if (outcome.Failure is not null)
        {
            return (null, false, outcome.Failure);
        }

        // Starting → Busy. Refused when it died (or the platform began stopping it) right after it became ready; the
        // hand-over in RunAsync is then refused too, and the invocation goes to another instance.
        pool.TryBeginServing(outcome.Instance!);
        return (outcome.Instance, true, null);
    }

    /// <summary>A cold start for a caller, holding a start slot until it ends (ready or failed), whoever waits for it.</summary>
    private async Task<(Instance? Instance, InvocationResult? Failure)> StartForCallerAsync(VersionPool pool, string requestId, int reserved)
    {
        try
        {
            return await StartInstanceAsync(pool, provisioned: false, requestId, CancellationToken.None, reserved).ConfigureAwait(false);
        }
        finally
        {
            _coldStarts.Release();
        }
    }

    /// <summary>The caller of a cold start went away: once ready, the instance waits idle for the next call.</summary>
    private async Task ParkWhenStartedAsync(Task<(Instance? Instance, InvocationResult? Failure)> start)
    {
        Instance? instance;
        try
        {
            (instance, _) = await start.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.AbandonedStartFailed(_logger, exception);
            return;
        }

        if (instance is null || !instance.Pool.TryBeginServing(instance))
        {
            return; // it failed (recorded), or died as it became ready
        }

        if (!_accepting)
        {
            Stop(instance, "the platform is shutting down");
        }
        else if (!instance.Pool.TryReturnIdle(instance, _time.GetUtcNow()))
        {
            Stop(instance, "its caller went away during its start and its version was replaced");
        }
    }

    /// <summary>Waits for a start slot (then returns null, holding it) or for an idle instance (returned, Busy).</summary>
    private async Task<Instance?> WaitForSlotOrIdleAsync(VersionPool pool, CancellationToken cancellationToken)
    {
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slot = _coldStarts.WaitAsync(giveUp.Token);
        while (true)
        {
            var wentIdle = pool.WhenSlotAvailable();
            if (pool.TryTakeSlot(out var instance))
            {
                await giveUp.CancelAsync().ConfigureAwait(false);
                try
                {
                    await slot.ConfigureAwait(false);
                    _coldStarts.Release(); // the slot came in the same instant: give it back
                }
                catch (OperationCanceledException)
                {
                }

                return instance;
            }

            if (await Task.WhenAny(slot, wentIdle).ConfigureAwait(false) == slot)
            {
                await slot.ConfigureAwait(false); // throws when the caller went away
                return null;
            }
        }
    }

    /// <summary>Runs the invocation on a Busy instance; null when the instance refused it (it died or is stopping).</summary>
    private async Task<InvocationResult?> RunAsync(Instance instance, string? alias, InvokeRequest request, bool coldStart)
    {
        var target = instance.Target;
        var now = _time.GetUtcNow();
        var trace = request.Trace ?? TraceContext.ContinueOrStart(request.TraceParent);
        var invocation = new Invocation(
            request,
            FunctionArn.For(_options.Region, target.FunctionName, alias ?? (target.Version == Qualifier.Latest ? null : target.Version)),
            now.ToUnixTimeMilliseconds() + (long)(target.Config.TimeoutSeconds * 1000),
            trace,
            _time)
        {
            Instance = instance,
            Alias = alias,
            ColdStart = coldStart,
            InitDurationMs = coldStart ? instance.InitDurationMs : null,
        };

        InvocationResult result;
        // The deadline timer exists before the worker can see the invocation, so the deadline counts from the hand-over.
        using (_time.CreateTimer(_onDeadline, invocation, TimeSpan.FromSeconds(target.Config.TimeoutSeconds), Timeout.InfiniteTimeSpan))
        {
            if (!instance.TryAssign(invocation, _onHandedOver))
            {
                Stop(instance, "it died or was stopped before it received an invocation");
                return null;
            }

            result = await invocation.Completion.ConfigureAwait(false);
        }

        // Lines printed just before the response may still be in the pipe (the response arrives over HTTP and can
        // overtake them): turn them into records first, so END and REPORT come after the function's own lines, as in
        // Lambda, and the log tail is complete. With nothing pending this is one poll of both pipes.
        await instance.Logs.DrainAsync(CancellationToken.None).ConfigureAwait(false);

        instance.ClearCurrent(invocation);
        // A timeout on a shared instance frees its slot too: the instance, already recycling, stops after its last call.
        if ((result.Outcome is InvocationOutcome.Success or InvocationOutcome.FunctionError
             || (result.Outcome == InvocationOutcome.Timeout && instance.Slots > 1))
            && !instance.Pool.TryReturnIdle(instance, _time.GetUtcNow()))
        {
            Stop(instance, instance.Recycling ? "an invocation timed out and its other invocations have ended" : "its version was replaced");
        }

        _telemetry.Completed(instance, invocation, result);
        result.LogTail = invocation.Tail?.Text;
        return result;
    }
}
