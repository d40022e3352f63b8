using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Routing;
using Nimbus.Server.Alarms;
using Nimbus.Server.Api;
using Nimbus.Server.Events;
using Nimbus.Server.Events.Queues;
using Nimbus.Server.Events.Schedules;
using Nimbus.Server.Deployments;
using Nimbus.Server.Deployments.Shadow;
using Nimbus.Server.Gateway;
using Nimbus.Server.Invocations;
using Nimbus.Server.Packages;
using Nimbus.Server.Runtime;
using Nimbus.Server.Runtime.Linux;
using Nimbus.Server.Runtime.Sandbox;
using Nimbus.Server.Security;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry;
using Nimbus.Server.Telemetry.Errors;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Server.Hosting;

/// <summary>Starts and stops the platform in this process (what <c>nimbus up</c> hosts).</summary>
public sealed class NimbusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;

    private NimbusServer(WebApplication app, Uri baseAddress, NimbusServerOptions options, string adminToken)
    {
        _app = app;
        AdminToken = adminToken;
        BaseAddress = baseAddress;
        Options = options;
        app.Lifetime.ApplicationStopped.Register(() => _completion.TrySetResult());
    }

    /// <summary>The gateway and management API address, e.g. <c>http://127.0.0.1:7700</c>.</summary>
    public Uri BaseAddress { get; }

    public NimbusServerOptions Options { get; }

    /// <summary>The admin token kept in <c>{dataDir}/admin-token</c> (created on first start).</summary>
    public string AdminToken { get; }

    /// <summary>Completes when the server has stopped (after <see cref="StopAsync"/> or a signal).</summary>
    public Task Completion => _completion.Task;

    public IServiceProvider Services => _app.Services;

    public static async Task<NimbusServer> StartAsync(NimbusServerOptions options, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NimbusStartupException($"cannot create the data directory '{dataDirectory}': {ex.Message}", ex);
        }

        options = options with { DataDirectory = dataDirectory };
        var sandbox = WorkerSandbox.Create(dataDirectory, options.Unsandboxed, Environment.GetEnvironmentVariable("PATH"),
            options.SandboxSharedDirectories);
        if (sandbox.Verdict.Refused)
        {
            throw new NimbusStartupException(SandboxMessages.Refusal(sandbox.Verdict));
        }

        var databasePath = Path.Combine(dataDirectory, "nimbus.db");
        var store = new SqliteStore(databasePath, options.TimeProvider);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new NimbusStartupException($"cannot open the store '{databasePath}': {ex.Message}", ex);
        }

        var observability = new SqliteObservabilityStore(Path.Combine(dataDirectory, "observability.db"));
        try
        {
            await observability.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new NimbusStartupException($"cannot open the metrics store '{observability.DatabasePath}': {ex.Message}", ex);
        }

        // An invocation's START/END/REPORT lines are kept in its record's row there (TelemetryWriter); logs read them back.
        store.ReadPlatformLinesFrom(observability);

        var alarms = new SqliteAlarmStore(Path.Combine(dataDirectory, "alarms.db"));
        try
        {
            await alarms.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await observability.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            throw new NimbusStartupException($"cannot open the alarm store '{alarms.DatabasePath}': {ex.Message}", ex);
        }

        SqliteIdentityStore identityStore;
        SecretKeyProtector protector;
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate;
        try
        {
            identityStore = new SqliteIdentityStore(store);
            protector = SecretKeyProtector.LoadOrCreate(dataDirectory);
            certificate = TlsCertificate.Load(options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or NimbusStartupException)
        {
            await alarms.DisposeAsync().ConfigureAwait(false);
            await observability.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            throw ex as NimbusStartupException ?? new NimbusStartupException($"cannot prepare authentication: {ex.Message}", ex);
        }

        var functionCredentials = new FunctionCredentials(options.TimeProvider);
        var identities = new IdentityRegistry(identityStore, protector, functionCredentials, options.TimeProvider, options.LambdaCredentials);
        await identities.LoadAsync(cancellationToken).ConfigureAwait(false);
        var adminToken = await Security.AdminToken.EnsureAsync(dataDirectory, identities, cancellationToken).ConfigureAwait(false);

        var gatewaySocket = BindGateway(options);
        var ports = new RuntimePortPool(options.MaxInstances);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "Nimbus",
            ContentRootPath = dataDirectory,
            // No watch of the content root (the data directory) for appsettings changes: every SQLite write there woke
            // the file watcher (docs/design/warm-path.md).
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("NIMBUS_LOG_LEVEL"), true, out var level) ? level : LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(15));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        // A body that does not bind reaches RequestErrorMiddleware, which says why, instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton<INimbusStore>(store);
        builder.Services.AddSingleton(new PackageStore(dataDirectory, new ArchiveLimits()));
        builder.Services.AddSingleton(new ProcessSpawner(usePidNamespace: !sandbox.IsEnabled));
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddSingleton(ports);
        builder.Services.AddSingleton(new ConcurrencyLimiter(options.MaxInstances));
        builder.Services.AddSingleton(sp => new TelemetrySink(options.TimeProvider, options.RecordTelemetry));
        builder.Services.AddSingleton(functionCredentials);
        builder.Services.AddSingleton(identities);
        builder.Services.AddSingleton(new SqliteAuditLog(store));
        builder.Services.AddSingleton<RequestAuthenticator>();
        builder.Services.AddSingleton(new Core.Security.FailedAuthenticationLimiter(options.Authentication.MaxFailures, options.Authentication.FailureWindow));
        builder.Services.AddSingleton<JwksCache>();
        builder.Services.AddSingleton<RouteAuthenticator>();
        builder.Services.AddSingleton<IInstanceLauncher, InstanceLauncher>();
        builder.Services.AddSingleton<Dispatcher>();
        builder.Services.AddSingleton<RoutingState>();
        builder.Services.AddSingleton<ITrafficSampler>(RandomTrafficSampler.Instance);
        builder.Services.AddSingleton<Invoker>();
        builder.Services.AddIdempotency(store);
        builder.Services.AddSingleton<ControlPlane>();
        builder.Services.AddHostedService(sp => new RoutingReconciler(
            sp.GetRequiredService<RoutingState>(), options.TimeProvider, sp.GetRequiredService<ILogger<RoutingReconciler>>()));
        builder.Services.AddSingleton<RuntimeApiHandler>();
        builder.Services.AddSingleton<WorkerConnectionVerifier>();
        builder.Services.AddSingleton<InvokeEndpoint>();
        builder.Services.AddSingleton<HttpRouteEndpoint>();
        builder.Services.AddSingleton(observability);
        builder.Services.AddAlarms(alarms, dataDirectory);
        builder.Services.AddSingleton<ConcurrencySampler>();
        builder.Services.AddSingleton(sp => new InvocationMeter(sp.GetRequiredService<ConcurrencySampler>().Sample));
        builder.Services.AddSingleton<PrometheusRegistry>();
        builder.Services.AddSingleton<ErrorTracker>();
        builder.Services.AddSingleton<InvocationMetrics>();
        builder.Services.AddSingleton<PrometheusEndpoint>();
        builder.Services.AddSingleton(sp => new ObservabilityFlusher(
            sp.GetRequiredService<InvocationMetrics>(), sp.GetRequiredService<ErrorTracker>(), observability,
            sp.GetRequiredService<ConcurrencySampler>().Sample, options.TimeProvider, sp.GetRequiredService<ILogger<ObservabilityFlusher>>()));

        if (options.OtlpEndpoint is { } otlp)
        {
            OtlpExport.Add(builder.Services, otlp, options.OtlpExportInterval);
            builder.Services.AddSingleton(sp => new OtlpTraceExporter(otlp, options.TimeProvider, sp.GetRequiredService<ILogger<OtlpTraceExporter>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<OtlpTraceExporter>());
        }

        // Hosted services stop in reverse order: the flusher stores what the writer drained last.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ObservabilityFlusher>());
        builder.Services.AddSingleton<TelemetryWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryWriter>());
        builder.Services.AddSingleton(sp => new TelemetryPruner(store,
            [
                new TableRetention(TelemetryTable.Logs, options.LogRetention),
                new TableRetention(TelemetryTable.Invocations, options.InvocationRetention),
                new TableRetention(TelemetryTable.InvocationSpans, options.InvocationRetention, observability),
            ],
            options.TimeProvider, sp.GetRequiredService<ILogger<TelemetryPruner>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryPruner>());
        builder.Services.AddSingleton<InstanceMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InstanceMonitor>());
        builder.Services.AddHostedService<ShutdownCoordinator>();
        builder.Services.AddAsyncEvents(store, options.Async, options.TimeProvider);
        builder.Services.AddSingleton<AsyncQueueSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AsyncQueueSampler>());
        builder.Services.AddSchedules(store, options.Region);
        builder.Services.AddSecretsAndPolicy(store, options);
        builder.Services.AddQueues(store);
        builder.Services.AddSingleton<IDeploymentStore>(store);
        builder.Services.AddSingleton<IFreezeWindowStore>(store);
        builder.Services.AddSingleton<ISloCatalog, StoredSloCatalog>();
        builder.Services.AddSingleton<IDeploymentSignals, DeploymentSignals>();
        builder.Services.AddSingleton<IDeploymentHookRunner, InvokerHookRunner>();
        builder.Services.AddSingleton<StickyRoutes>();
        builder.Services.AddSingleton<ShadowRoutes>();
        builder.Services.AddSingleton<ShadowReports>();
        builder.Services.AddSingleton<ShadowQueue>();
        builder.Services.AddSingleton<ShadowCallGuard>();
        builder.Services.AddSingleton<ShadowCallers>();
        builder.Services.AddSingleton<ShadowRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShadowRunner>());
        builder.Services.AddSingleton<DeploymentAlarmStates>();
        builder.Services.AddSingleton<DeploymentRollbackNotifier>();
        builder.Services.AddSingleton<DeploymentLoop>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeploymentLoop>());
        builder.Services.AddSingleton<DeploymentManager>();

        WorkerConnectionVerifier? verifier = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenHandle((ulong)gatewaySocket.Handle, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            foreach (var socket in ports.Sockets)
            {
                kestrel.ListenHandle((ulong)socket.Handle, listen =>
                {
                    if (options.VerifyWorkerConnections)
                    {
                        listen.Use((connection, next) => verifier!.OnConnectionAsync(connection, next));
                    }
                });
            }
        });

        var app = builder.Build();
        SandboxMessages.LogAtStart(app.Services.GetRequiredService<ILogger<WorkerSandbox>>(), sandbox.Verdict);
        verifier = app.Services.GetRequiredService<WorkerConnectionVerifier>();
        var runtimeApi = app.Services.GetRequiredService<RuntimeApiHandler>();
        app.Use((context, next) => ports.IsRuntimePort(context.Connection.LocalPort) && !RuntimeApiHandler.IsLambdaApi(context) ? runtimeApi.HandleAsync(context) : next(context));
        app.UseMiddleware<RequestErrorMiddleware>();
        app.UseMiddleware<AuthenticationMiddleware>();

        var api = app.MapGroup("/api/v1");
        FunctionEndpoints.Map(api);
        VersionEndpoints.Map(api);
        AliasEndpoints.Map(api);
        ProvisionedConcurrencyEndpoints.Map(api);
        LogEndpoints.Map(api);
        InstanceEndpoints.Map(api);
        MetricEndpoints.Map(api);
        ErrorEndpoints.Map(api);
        AlarmServices.MapAlarmEndpoints(api);
        var prometheus = app.Services.GetRequiredService<PrometheusEndpoint>();
        app.MapGet("/metrics", prometheus.HandleAsync);
        DeadLetterEndpoints.Map(api);
        DeploymentEndpoints.Map(api);
        FreezeWindowEndpoints.Map(api);
        ScheduleEndpoints.Map(api);
        TraceEndpoints.Map(api);
        StatusEndpoints.Map(api);
        WebhookEndpoints.Map(api);
        SecretEndpoints.Map(api);
        PolicyEndpoints.Map(api);
        IdentityEndpoints.Map(api);
        AuditEndpoints.Map(api);
        QueueServices.Map(api);
        var invoke = app.Services.GetRequiredService<InvokeEndpoint>();
        api.MapPost("/functions/{name}/invoke", (HttpContext context, string name) => invoke.HandleAsync(context, name));
        LambdaInvokeEndpoint.Map(app);
        var routes = app.Services.GetRequiredService<HttpRouteEndpoint>();
        app.MapFallback(routes.HandleAsync).WithMetadata(Core.Security.RouteRequirement.Public);

        var routing = app.Services.GetRequiredService<RoutingState>();
        var dispatcher = app.Services.GetRequiredService<Dispatcher>();
        routing.Changed += dispatcher.ApplySnapshot;
        await routing.ReloadAsync(cancellationToken).ConfigureAwait(false);
        await app.Services.GetRequiredService<Nimbus.Server.Security.Secrets.SecretVault>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var endpoint = (IPEndPoint)gatewaySocket.LocalEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        LocalServers.Register(endpoint.Port, dataDirectory);
        return new NimbusServer(app, new Uri($"{(certificate is null ? "http" : "https")}://{host}:{endpoint.Port}"), options, adminToken);
    }

    private static Socket BindGateway(NimbusServerOptions options)
    {
        if (!IPAddress.TryParse(options.ListenAddress, out var address))
        {
            throw new NimbusStartupException($"'{options.ListenAddress}' is not an IP address to listen on");
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, options.Port));
            socket.Listen(1024);
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new NimbusStartupException($"port {options.Port} on {options.ListenAddress} is already in use: is another `nimbus up` running? Choose another with --port", ex);
        }
    }

    /// <summary>Graceful stop: no new invocations, in-flight ones finish (up to the shutdown timeout), workers stop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await Completion.ConfigureAwait(false);
            return;
        }

        LocalServers.Unregister(BaseAddress.Port, Options.DataDirectory);
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        _completion.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        var store = _app.Services.GetService<INimbusStore>();
        var observability = _app.Services.GetService<SqliteObservabilityStore>();
        var alarms = _app.Services.GetService<SqliteAlarmStore>();
        var sandbox = _app.Services.GetService<WorkerSandbox>();
        await _app.DisposeAsync().ConfigureAwait(false);
        sandbox?.Dispose();
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        if (observability is not null)
        {
            await observability.DisposeAsync().ConfigureAwait(false);
        }

        if (alarms is not null)
        {
            await alarms.DisposeAsync().ConfigureAwait(false);
        }
    }
}
