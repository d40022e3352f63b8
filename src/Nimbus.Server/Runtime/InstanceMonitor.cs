using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Instances;
using Nimbus.Core.Routing;
using Nimbus.Server.Gateway;
using Nimbus.Server.Hosting;
using Nimbus.Server.Runtime.Linux;

namespace Nimbus.Server.Runtime;

/// <summary>
/// The instances' background loop: samples resident memory (and kills workers over their memory size; a busy instance
/// every 100 ms, an idle one every second, see <see cref="MemorySampleSchedule"/>), stops instances
/// idle past the idle timeout, and keeps provisioned instances warm. Driven by the configured <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class InstanceMonitor : BackgroundService
{
    public static readonly TimeSpan MemoryInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan ScaleInterval = TimeSpan.FromSeconds(1);

    private readonly Dispatcher _dispatcher;
    private readonly Func<RoutingSnapshot> _snapshot;
    private readonly NimbusServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<InstanceMonitor> _logger;
    private TaskCompletionSource _poke = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConditionalWeakTable<Instance, ProcessTreeMemory> _trees = new();
    private long _memoryTick;

    public InstanceMonitor(Dispatcher dispatcher, RoutingState routing, NimbusServerOptions options, ILogger<InstanceMonitor> logger)
        : this(dispatcher, () => routing.Current, options, logger) =>
        routing.Changed += _ => Poke();

    /// <param name="snapshot">The current routing snapshot (what is provisioned).</param>
    internal InstanceMonitor(Dispatcher dispatcher, Func<RoutingSnapshot> snapshot, NimbusServerOptions options, ILogger<InstanceMonitor> logger)
    {
        _dispatcher = dispatcher;
        _snapshot = snapshot;
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
    }

    /// <summary>Asks for a scale reconciliation now (after a configuration change).</summary>
    public void Poke() => Volatile.Read(ref _poke).TrySetResult();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(MemoryLoopAsync(stoppingToken), ScaleLoopAsync(stoppingToken));

    private async Task MemoryLoopAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var timer = new PeriodicTimer(MemoryInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SampleMemory();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One tick: reads the instances that <see cref="MemorySampleSchedule"/> says are due.</summary>
    internal void SampleMemory() => SampleMemory(ReadTree);

    internal void SampleMemory(Func<Instance, long> residentBytes)
    {
        var tick = _memoryTick++;
        foreach (var instance in _dispatcher.AllInstances())
        {
            if (!MemorySampleSchedule.IsDue(instance.State, instance.ProcessId, tick))
            {
                continue;
            }

            var rss = residentBytes(instance);
            if (rss <= 0)
            {
                continue;
            }

            instance.Statistics.RecordResidentMemory(rss);
            if (rss > (long)instance.Target.Config.MemoryMb * 1024 * 1024)
            {
                _dispatcher.OnMemoryExceeded(instance, rss);
            }
        }
    }

    private long ReadTree(Instance instance)
    {
        if (!_trees.TryGetValue(instance, out var tree) || tree.Root != instance.ProcessId)
        {
            tree = new ProcessTreeMemory(instance.ProcessId);
            _trees.AddOrUpdate(instance, tree);
        }

        return tree.Read();
    }

    private async Task ScaleLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the pass, so a change made during the pass triggers another one at once.
            var poke = Volatile.Read(ref _poke);
            try
            {
                await ReconcileAsync(stoppingToken).ConfigureAwait(false);
                await Task.WhenAny(poke.Task, Task.Delay(ScaleInterval, _time, stoppingToken)).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (poke.Task.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _poke, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), poke);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ReconcileFailed(_logger, ex);
            }
        }
    }

    /// <summary>One pass: stop instances idle too long, start the provisioned instances that are missing.</summary>
    internal async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (!_dispatcher.Accepting)
        {
            return;
        }

        var snapshot = _snapshot();
        var provisioned = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var target in snapshot.Provisioned)
        {
            provisioned[target.Target.PoolKey] = Math.Max(provisioned.GetValueOrDefault(target.Target.PoolKey), target.Count);
        }

        var idle = new List<IdleInstance>();
        var alive = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<string, Instance>(StringComparer.Ordinal);
        foreach (var instance in _dispatcher.AllInstances())
        {
            if (instance.State is InstanceState.Dead or InstanceState.Draining)
            {
                continue;
            }

            alive[instance.Pool.Key] = alive.GetValueOrDefault(instance.Pool.Key) + 1;
            if (instance.State == InstanceState.Idle)
            {
                idle.Add(new IdleInstance(instance.Id, instance.Pool.Key, instance.Statistics.LastUsedAt));
                byId[instance.Id] = instance;
            }
        }

        foreach (var id in ScaleDownPolicy.SelectToStop(idle, alive, provisioned, _time.GetUtcNow(), _options.IdleTimeout))
        {
            var instance = byId[id];
            if (instance.TryClaimIdleForStop())
            {
                _dispatcher.Stop(instance, "it was idle longer than the idle timeout");
            }
        }

        // Instance credentials expire (FunctionCredentials.Lifetime): an idle instance near that age makes way for a fresh one.
        var now = _time.GetUtcNow();
        foreach (var instance in byId.Values)
        {
            if (now - instance.StartedAt >= Security.FunctionCredentials.RecycleAfter && instance.TryClaimIdleForStop())
            {
                _dispatcher.Stop(instance, "its credentials are due for rotation");
            }
        }

        foreach (var target in snapshot.Provisioned)
        {
            var missing = provisioned[target.Target.PoolKey] - alive.GetValueOrDefault(target.Target.PoolKey);
            for (var i = 0; i < missing; i++)
            {
                alive[target.Target.PoolKey] = alive.GetValueOrDefault(target.Target.PoolKey) + 1;
                if (!await _dispatcher.StartWarmAsync(target.Target, cancellationToken).ConfigureAwait(false))
                {
                    Log.ProvisioningFailed(_logger, target.Target.FunctionName, target.Qualifier);
                    break;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Error, "Instance reconciliation failed")]
        public static partial void ReconcileFailed(ILogger logger, Exception exception);

        [LoggerMessage(4002, LogLevel.Warning, "Could not start a provisioned instance of {FunctionName}:{Qualifier}; retrying on the next pass")]
        public static partial void ProvisioningFailed(ILogger logger, string functionName, string qualifier);
    }
}
