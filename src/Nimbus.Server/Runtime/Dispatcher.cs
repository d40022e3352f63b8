using System.Collections.Concurrent;
using System.Globalization;
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

    private readonly ConcurrentDictionary<string, VersionPool> _pools = new(StringComparer.Ordinal);
    private readonly Instance?[] _byPort = new Instance?[65536];
    private readonly RuntimePortPool _ports;
    private readonly ConcurrencyLimiter _limiter;
    private readonly InstanceLauncher _launcher;
    private readonly TelemetrySink _telemetry;
    private readonly TimeProvider _time;
    private readonly NimbusServerOptions _options;
    private readonly ILogger<Dispatcher> _logger;
    private volatile bool _accepting = true;
    private int _inFlight;
    private long _instanceCounter;
    private readonly TimerCallback _onDeadline;
    private readonly SemaphoreSlim _coldStarts;
    private static readonly TimeSpan s_coldStartPoll = TimeSpan.FromMilliseconds(10);

    public Dispatcher(
        RuntimePortPool ports,
        ConcurrencyLimiter limiter,
        InstanceLauncher launcher,
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
            if (pool.TryTakeIdle(out var instance))
            {
                return await RunAsync(instance, alias, request, coldStart: false).ConfigureAwait(false);
            }

            // Wait for a start slot; an instance that goes idle meanwhile serves the request instead.
            while (!await _coldStarts.WaitAsync(s_coldStartPoll, cancellationToken).ConfigureAwait(false))
            {
                if (pool.TryTakeIdle(out instance))
                {
                    return await RunAsync(instance, alias, request, coldStart: false).ConfigureAwait(false);
                }
            }

            Instance? started;
            InvocationResult? failure;
            try
            {
                (started, failure) = await StartInstanceAsync(pool, provisioned: false, request.RequestId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _coldStarts.Release();
            }

            if (failure is not null)
            {
                _telemetry.InitFailed(target, alias, failure);
                return failure;
            }

            return await RunAsync(started!, alias, request, coldStart: true).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _limiter.Release(config.Name, config.ReservedConcurrency);
        }
    }

    private async Task<InvocationResult> RunAsync(Instance instance, string? alias, InvokeRequest request, bool coldStart)
    {
        var target = instance.Target;
        var now = _time.GetUtcNow();
        var trace = TraceContext.ContinueOrStart(request.TraceParent);
        var invocation = new Invocation(
            request,
            FunctionArn.For(_options.Region, target.FunctionName, alias ?? (target.Version == Core.Functions.Qualifier.Latest ? null : target.Version)),
            now.ToUnixTimeMilliseconds() + (long)(target.Config.TimeoutSeconds * 1000),
            trace)
        {
            Instance = instance,
            Alias = alias,
            ColdStart = coldStart,
            InitDurationMs = coldStart ? instance.InitDurationMs : null,
        };

        _telemetry.Started(instance, invocation);
        instance.Assign(invocation);
        if (instance.State == InstanceState.Dead)
        {
            invocation.TryFail(InvocationOutcome.Crashed, ErrorTypes.ExitError, $"RequestId: {request.RequestId} Error: the instance exited before it received the invocation");
        }

        InvocationResult result;
        using (_time.CreateTimer(_onDeadline, invocation, TimeSpan.FromSeconds(target.Config.TimeoutSeconds), Timeout.InfiniteTimeSpan))
        {
            result = await invocation.Completion.ConfigureAwait(false);
        }

        if (invocation.Tail is not null)
        {
            // Only when the caller asked for the log tail: lines printed just before the response may still be in the pipe
            // (the response arrives over HTTP and can overtake them).
            await instance.DrainOutputAsync().ConfigureAwait(false);
        }

        instance.ClearCurrent(invocation);
        if (result.Outcome is InvocationOutcome.Success or InvocationOutcome.FunctionError)
        {
            if (!instance.Pool.ReturnIdle(instance, _time.GetUtcNow()))
            {
                Stop(instance, "its version was replaced");
            }
        }

        _telemetry.Completed(instance, invocation, result);
        result.LogTail = invocation.Tail?.Text;
        return result;
    }
}
