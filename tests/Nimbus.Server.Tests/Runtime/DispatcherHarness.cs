using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;
using Nimbus.Server.Hosting;
using Nimbus.Server.Runtime;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Tests.Runtime;

/// <summary>A real <see cref="Dispatcher"/> (and monitor) over fake workers and fake time.</summary>
internal sealed class DispatcherHarness
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private long _requests;

    public DispatcherHarness(int maxInstances = 8, int maxConcurrentColdStarts = 4, TimeSpan? idleTimeout = null, int? platformLimit = null)
    {
        Options = new NimbusServerOptions
        {
            MaxInstances = maxInstances,
            MaxConcurrentColdStarts = maxConcurrentColdStarts,
            IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(5),
            TimeProvider = Time,
        };
        Limiter = new ConcurrencyLimiter(platformLimit ?? maxInstances);
        Telemetry = new TelemetrySink(Time);
        Dispatcher = new Dispatcher(new RuntimePortPool(Enumerable.Range(20_000, maxInstances)), Limiter, Launcher, Telemetry, Time, Options,
            NullLogger<Dispatcher>.Instance);
        Monitor = new InstanceMonitor(Dispatcher, () => Snapshot, Options, NullLogger<InstanceMonitor>.Instance);
    }

    public HookedTimeProvider Time { get; } = new(Epoch);
    public FakeLauncher Launcher { get; } = new();
    public NimbusServerOptions Options { get; }
    public ConcurrencyLimiter Limiter { get; }
    public TelemetrySink Telemetry { get; }
    public Dispatcher Dispatcher { get; }
    public InstanceMonitor Monitor { get; }
    public RoutingSnapshot Snapshot { get; private set; } = RoutingSnapshot.Empty;

    public static FunctionConfig Config(string name, double timeoutSeconds = 3, int? reservedConcurrency = null) => new()
    {
        Name = name,
        Runtime = RuntimeNames.Node,
        Handler = "index.handler",
        TimeoutSeconds = timeoutSeconds,
        ReservedConcurrency = reservedConcurrency,
    };

    public static FunctionRecord Function(FunctionConfig config, long revision = 1) =>
        new(config, "code-" + revision, 100, revision, Epoch, Epoch);

    /// <summary>Stores <paramref name="functions"/> (and versions and provisioned concurrency) as the routing snapshot and applies it.</summary>
    public RoutingSnapshot Apply(IEnumerable<FunctionRecord> functions, IEnumerable<VersionRecord>? versions = null,
        IEnumerable<AliasRecord>? aliases = null, IEnumerable<ProvisionedConcurrencyRecord>? provisioned = null)
    {
        Snapshot = RoutingSnapshot.Build(Snapshot.Generation + 1, functions, versions ?? [], aliases ?? [], provisioned ?? []);
        Dispatcher.ApplySnapshot(Snapshot);
        return Snapshot;
    }

    /// <summary>Deploys <paramref name="config"/> as <c>$LATEST</c> at <paramref name="revision"/> and returns its target.</summary>
    public ExecutionTarget Deploy(FunctionConfig config, long revision = 1)
    {
        Apply([Function(config, revision)]);
        return Snapshot.GetFunction(config.Name)!.Latest!;
    }

    public Task<InvocationResult> Invoke(ExecutionTarget target, string payload = "{}") =>
        Dispatcher.InvokeAsync(target, null, new InvokeRequest("req-" + Interlocked.Increment(ref _requests), Encoding.UTF8.GetBytes(payload)),
            CancellationToken.None);

    /// <summary>Invokes and serves the call on the next worker launched (a cold start): ready, take, answer.</summary>
    public async Task<(InvocationResult Result, FakeWorker Worker)> InvokeColdAsync(ExecutionTarget target, string answer = "\"ok\"")
    {
        var call = Invoke(target);
        var worker = await Launcher.NextLaunchAsync();
        worker.Respond(await worker.NextAsync(), answer);
        return (await Completed(call), worker);
    }

    public static async Task<InvocationResult> Completed(Task<InvocationResult> call) => await call.WaitAsync(TestGuard.Timeout);

    public static string Body(InvocationResult result) => Encoding.UTF8.GetString(result.Body.Span);
}
