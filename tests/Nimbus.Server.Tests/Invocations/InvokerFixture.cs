using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Functions;
using Nimbus.Core.Routing;
using Nimbus.Server.Gateway;
using Nimbus.Server.Hosting;
using Nimbus.Server.Invocations;
using Nimbus.Server.Packages;
using Nimbus.Server.Runtime;
using Nimbus.Server.Runtime.Linux;
using Nimbus.Server.Security;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Tests.Invocations;

/// <summary>
/// An <see cref="Invoker"/> wired as <c>nimbus up</c> wires it, over a real SQLite store, with no worker ever started:
/// <c>fn</c> has versions 1 and 2 and alias <c>live</c> (version 1, 25 % to version 2); <c>empty</c> has no code;
/// <c>off</c> has code and reserved concurrency 0, so invoking it is throttled before any instance starts.
/// </summary>
public sealed class InvokerFixture : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ServiceProvider _services;

    private InvokerFixture(string directory, ServiceProvider services, FixedTrafficSampler sampler)
    {
        _directory = directory;
        _services = services;
        Sampler = sampler;
    }

    public FixedTrafficSampler Sampler { get; }
    public Invoker Invoker => _services.GetRequiredService<Invoker>();
    public Dispatcher Dispatcher => _services.GetRequiredService<Dispatcher>();
    public TelemetrySink Telemetry => _services.GetRequiredService<TelemetrySink>();

    public static async Task<InvokerFixture> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "nimbus-invoker-tests", Guid.NewGuid().ToString("N"));
        var options = new NimbusServerOptions { DataDirectory = directory, MaxInstances = 2 };
        var store = new SqliteStore(Path.Combine(directory, "nimbus.db"), options.TimeProvider);
        await store.InitializeAsync(cancellationToken);
        await SeedAsync(store, cancellationToken);

        var sampler = new FixedTrafficSampler(0.5);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton(options.TimeProvider)
            .AddSingleton<INimbusStore>(store)
            .AddSingleton(new PackageStore(directory, new ArchiveLimits()))
            .AddSingleton(new ProcessSpawner())
            .AddSingleton(new RuntimePortPool(options.MaxInstances))
            .AddSingleton(new ConcurrencyLimiter(options.MaxInstances))
            .AddSingleton(new TelemetrySink(options.TimeProvider))
            .AddSingleton(new Nimbus.Server.Security.FunctionCredentials(TimeProvider.System))
            .AddSingleton(Nimbus.Server.Runtime.Sandbox.WorkerSandbox.Create(directory, unsandboxedRequested: true, hostPath: null))
            .AddSingleton<IInstanceLauncher, InstanceLauncher>()
            .AddSecretsAndPolicy(store, options)
            .AddSingleton<Dispatcher>()
            .AddSingleton<RoutingState>()
            .AddSingleton<ITrafficSampler>(sampler)
            .AddSingleton<Invoker>()
            .BuildServiceProvider();
        await services.GetRequiredService<RoutingState>().ReloadAsync(cancellationToken);
        return new InvokerFixture(directory, services, sampler);
    }

    private static async Task SeedAsync(INimbusStore store, CancellationToken cancellationToken)
    {
        await store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "fn", Runtime = "node", Handler = "index.handler" }, cancellationToken);
        await store.SetFunctionCodeAsync("fn", new string('1', 64), 1, cancellationToken);
        await store.PublishVersionAsync("fn", null, cancellationToken);
        await store.SetFunctionCodeAsync("fn", new string('2', 64), 1, cancellationToken);
        await store.PublishVersionAsync("fn", null, cancellationToken);
        await store.UpsertAliasAsync(new AliasRecord("fn", "live", 1, 2, 0.25, null, DateTimeOffset.UnixEpoch), cancellationToken);

        await store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "empty", Runtime = "node", Handler = "index.handler" }, cancellationToken);

        await store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "off", Runtime = "node", Handler = "index.handler", ReservedConcurrency = 0 }, cancellationToken);
        await store.SetFunctionCodeAsync("off", new string('3', 64), 1, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services.GetService<INimbusStore>() is IAsyncDisposable store)
        {
            await store.DisposeAsync();
        }

        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
