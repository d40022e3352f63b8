using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Server.Deployments;
using Nimbus.Server.Deployments.Shadow;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Deployments;

/// <summary>The deployment loop over a real SQLite store, on fake time.</summary>
public sealed class DeploymentLoopTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-deploy-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingHookRunner _hooks = new();
    private readonly ScriptedSignals _signals = new();
    private SqliteStore _store = null!;
    private RoutingState _routing = null!;
    private DateTimeOffset _t0;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _store = await OpenStoreAsync();
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler" }, Ct);
        await _store.SetFunctionCodeAsync("orders", "sha-1", 10, Ct);
        await _store.PublishVersionAsync("orders", null, Ct);
        await _store.SetFunctionCodeAsync("orders", "sha-2", 10, Ct);
        await _store.PublishVersionAsync("orders", null, Ct);
        await _store.UpsertAliasAsync(new AliasRecord("orders", "live", 1, null, 0, null, _time.GetUtcNow()), Ct);
        _routing = new RoutingState(_store);
        await _routing.ReloadAsync(Ct);
        _t0 = _time.GetUtcNow();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Tick_Canary10Percent5Minutes_SetsTheAliasWeightsAtExactTimes()
    {
        var loop = NewLoop();
        await StartAsync("Canary10Percent5Minutes");

        await TickAtAsync(loop, TimeSpan.Zero);
        Assert.Equal((1, 2, 0.1), await AliasAsync());

        await TickAtAsync(loop, TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.Equal((1, 2, 0.1), await AliasAsync());

        await TickAtAsync(loop, TimeSpan.FromMinutes(5));
        Assert.Equal((2, null, 0.0), await AliasAsync());
        Assert.Equal(DeploymentState.Succeeded, (await _store.GetDeploymentAsync("d-1", Ct))!.State);
    }

    [Fact]
    public async Task Tick_Linear_ServesEachStepFromTheRoutingSnapshot()
    {
        var loop = NewLoop();
        await StartAsync("Linear10PercentEvery1Minute");

        for (var minute = 0; minute < 9; minute++)
        {
            await TickAtAsync(loop, TimeSpan.FromMinutes(minute));
            Assert.Equal((1, 2, (minute + 1) / 10.0), await AliasAsync());
        }

        await TickAtAsync(loop, TimeSpan.FromMinutes(9));
        Assert.Equal((2, null, 0.0), await AliasAsync());
        Assert.True(_routing.Current.Generation > 0, "the routing snapshot was reloaded after the alias writes");
    }

    [Fact]
    public async Task Restart_MidCanary_ResumesAtTheSameStep()
    {
        await StartAsync("Canary10Percent10Minutes");
        await TickAtAsync(NewLoop(), TimeSpan.Zero);

        // A new process: a new store object and a new loop over the same file.
        await _store.DisposeAsync();
        _store = await OpenStoreAsync();
        _routing = new RoutingState(_store);
        var restarted = NewLoop();

        await TickAtAsync(restarted, TimeSpan.FromMinutes(4));
        var resumed = (await _store.GetDeploymentAsync("d-1", Ct))!;
        Assert.Equal((DeploymentState.Shifting, 0, _t0), (resumed.State, resumed.StepIndex, resumed.Since));
        Assert.Equal((1, 2, 0.1), await AliasAsync());

        await TickAtAsync(restarted, TimeSpan.FromMinutes(10));
        Assert.Equal((2, null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task Restart_AfterTheStepWasWrittenButNotTheAlias_RepairsTheAlias()
    {
        await StartAsync("Canary10Percent5Minutes");
        await TickAtAsync(NewLoop(), TimeSpan.Zero);
        // As if the process died between persisting step 1 and writing the alias.
        await _store.UpsertAliasAsync(new AliasRecord("orders", "live", 1, null, 0, null, _time.GetUtcNow()), Ct);

        await TickAtAsync(NewLoop(), TimeSpan.FromMinutes(1));

        Assert.Equal((1, 2, 0.1), await AliasAsync());
    }

    [Fact]
    public async Task Tick_WatchedAlarmInAlarm_RollsTheAliasBackAtOnce()
    {
        var loop = NewLoop();
        await StartAsync("Linear10PercentEvery1Minute");
        await TickAtAsync(loop, TimeSpan.Zero);
        await TickAtAsync(loop, TimeSpan.FromMinutes(1));

        _signals.Alarms = [new WatchedAlarm("orders-errors", true, "5 errors in 1m")];
        await TickAtAsync(loop, TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Equal((1, null, 0.0), await AliasAsync());
        var rolledBack = (await _store.GetDeploymentAsync("d-1", Ct))!;
        Assert.Equal(DeploymentState.RolledBack, rolledBack.State);
        Assert.Equal("alarm 'orders-errors' is in ALARM on version 2: 5 errors in 1m", rolledBack.Reason);
    }

    [Fact]
    public async Task Tick_RollbackCommand_MovesTheAliasOnTheNextTickAndEndsTheDeployment()
    {
        var loop = NewLoop();
        await StartAsync("Canary10Percent30Minutes");
        await TickAtAsync(loop, TimeSpan.Zero);

        Assert.True(await _store.SetDeploymentCommandAsync("d-1", DeploymentCommand.Rollback, Ct));
        await TickAtAsync(loop, TimeSpan.FromSeconds(1));

        Assert.Equal((1, null, 0.0), await AliasAsync());
        Assert.Equal(DeploymentState.RolledBack, (await _store.GetDeploymentAsync("d-1", Ct))!.State);
        Assert.False(await _store.SetDeploymentCommandAsync("d-1", DeploymentCommand.Stop, Ct));
    }

    [Fact]
    public async Task Tick_ShadowDeployment_KeepsTheAliasOnTheOldVersion_SetsTheShadowRoute_AndClearsItWhenStopped()
    {
        var shadows = new ShadowRoutes();
        var loop = new DeploymentLoop(_store, _store, _routing, _signals, _hooks, _time, NullLogger<DeploymentLoop>.Instance, shadows: shadows);
        await _store.InsertDeploymentAsync(Deployment.Create("d-1", "orders", "live", 1, 2,
            DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "shadow", ["percent"] = "25", ["duration"] = "1h" }).Strategy!,
            DeploymentHooks.None, [], null, forced: false, _time.GetUtcNow()), Ct);

        await TickAtAsync(loop, TimeSpan.Zero);
        var route = shadows.Get("orders", "live");
        Assert.Equal((1, null, 0.0), await AliasAsync());
        Assert.Equal(("d-1", 2, 25.0), (route?.DeploymentId, route?.ToVersion, route?.Sampler.Percent));

        await TickAtAsync(loop, TimeSpan.FromSeconds(1));
        Assert.Same(route, shadows.Get("orders", "live"));

        Assert.True(await _store.SetDeploymentCommandAsync("d-1", DeploymentCommand.Stop, Ct));
        await TickAtAsync(loop, TimeSpan.FromSeconds(2));
        Assert.Null(shadows.Get("orders", "live"));
        Assert.Equal((1, null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task Tick_ShadowReport_IsSavedWhenItChanged_AndANewProcessContinuesIt()
    {
        var reports = new ShadowReports();
        var loop = new DeploymentLoop(_store, _store, _routing, _signals, _hooks, _time, NullLogger<DeploymentLoop>.Instance, shadowReports: reports);
        await _store.InsertDeploymentAsync(Deployment.Create("d-1", "orders", "live", 1, 2,
            DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "shadow", ["percent"] = "100", ["duration"] = "1h" }).Strategy!,
            DeploymentHooks.None, [], null, forced: false, _time.GetUtcNow()), Ct);
        await TickAtAsync(loop, TimeSpan.Zero);
        Assert.Null(await _store.GetShadowReportAsync("d-1", Ct));

        var tally = reports.For("d-1");
        tally.Mirrored();
        tally.Record("r1", new(Core.Invocations.InvocationOutcome.Success, null, "1"u8.ToArray(), 3),
            new(Core.Invocations.InvocationOutcome.Success, null, "2"u8.ToArray(), 4));
        await TickAtAsync(loop, TimeSpan.FromSeconds(1));

        var saved = await _store.GetShadowReportAsync("d-1", Ct);
        Assert.Equal((1L, 1L, 1L), (saved!.Mirrored, saved.Compared, saved.BodyDiffers));
        Assert.Equal(Core.Deployments.Shadow.ShadowDifference.BodyDiffers, Assert.Single(saved.Examples).Difference);

        // A new process: fresh reports, the same store. Its first tick resumes the counts.
        var restarted = new ShadowReports();
        var next = new DeploymentLoop(_store, _store, _routing, _signals, _hooks, _time, NullLogger<DeploymentLoop>.Instance, shadowReports: restarted);
        await TickAtAsync(next, TimeSpan.FromSeconds(2));
        Assert.Equal((1L, 1L), (restarted.For("d-1").Snapshot().Mirrored, restarted.For("d-1").Snapshot().BodyDiffers));
    }

    [Fact]
    public async Task Tick_ADamagedSavedShadowReport_IsReplacedByANewOne_AndTheDeploymentKeepsStepping()
    {
        await _store.InsertDeploymentAsync(Deployment.Create("d-1", "orders", "live", 1, 2,
            DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "shadow", ["percent"] = "100", ["duration"] = "1h" }).Strategy!,
            DeploymentHooks.None, [], null, forced: false, _time.GetUtcNow()), Ct);
        await _store.SaveShadowReportAsync("d-1", Core.Deployments.Shadow.ShadowReport.Empty, Ct);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "nimbus.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE deployment_shadow_reports SET report = '{not json' WHERE deployment_id = 'd-1'";
            Assert.Equal(1, await damage.ExecuteNonQueryAsync(Ct));
        }

        Assert.Null(await _store.GetShadowReportAsync("d-1", Ct));
        var reports = new ShadowReports();
        var loop = new DeploymentLoop(_store, _store, _routing, _signals, _hooks, _time, NullLogger<DeploymentLoop>.Instance, shadowReports: reports);
        await TickAtAsync(loop, TimeSpan.Zero);
        reports.For("d-1").Mirrored();
        await TickAtAsync(loop, TimeSpan.FromSeconds(1));

        Assert.Equal(1L, (await _store.GetShadowReportAsync("d-1", Ct))!.Mirrored);
        Assert.Equal(DeploymentState.Shifting, (await _store.GetDeploymentAsync("d-1", Ct))!.State);
    }

    [Fact]
    public async Task Tick_PreTrafficHook_IsStartedOnceAndItsReportStartsTheShift()
    {
        var loop = NewLoop();
        await StartAsync("Canary10Percent5Minutes", new DeploymentHooks("smoke", null, DeploymentHooks.DefaultTimeout));

        await TickAtAsync(loop, TimeSpan.Zero);
        await TickAtAsync(loop, TimeSpan.FromSeconds(1));
        var started = Assert.Single(_hooks.Started);
        Assert.Equal(new HookInvocation("preTraffic", "smoke", "d-1-preTraffic"), started);
        Assert.Equal((1, null, 0.0), await AliasAsync());

        await _store.RecordHookResultAsync("d-1", "d-1-preTraffic", HookStatus.Succeeded, Ct);
        await TickAtAsync(loop, TimeSpan.FromSeconds(2));

        Assert.Equal((1, 2, 0.1), await AliasAsync());
    }

    [Fact]
    public async Task Tick_HookThatNeverReports_RollsBackAtItsTimeout()
    {
        var loop = NewLoop();
        await StartAsync("Canary10Percent5Minutes", new DeploymentHooks("smoke", null, TimeSpan.FromMinutes(2)));
        await TickAtAsync(loop, TimeSpan.Zero);

        await TickAtAsync(loop, TimeSpan.FromMinutes(2));

        var ended = (await _store.GetDeploymentAsync("d-1", Ct))!;
        Assert.Equal(DeploymentState.RolledBack, ended.State);
        Assert.Equal("preTraffic hook 'smoke' did not report within 2m", ended.Reason);
    }

    [Fact]
    public async Task Timer_DrivesTheLoopOnFakeTime()
    {
        var loop = NewLoop();
        await StartAsync("AllAtOnce");

        await loop.StartAsync(Ct);
        try
        {
            // The step is persisted before the alias moves: wait for both, as a caller watching the alias would. Each
            // fake-time tick fires the loop, whose store writes are real I/O: give each tick real time to finish.
            for (var i = 0; i < 250 && ((await _store.GetDeploymentAsync("d-1", Ct))!.State != DeploymentState.Succeeded || await AliasAsync() != (2, (int?)null, 0.0)); i++)
            {
                _time.Advance(DeploymentLoop.Period);
                await Task.Delay(20, Ct);
            }
        }
        finally
        {
            await loop.StopAsync(Ct);
        }

        Assert.Equal(DeploymentState.Succeeded, (await _store.GetDeploymentAsync("d-1", Ct))!.State);
        Assert.Equal((2, null, 0.0), await AliasAsync());
    }

    private async Task<SqliteStore> OpenStoreAsync()
    {
        var store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await store.InitializeAsync(Ct);
        return store;
    }

    private DeploymentLoop NewLoop() =>
        new(_store, _store, _routing, _signals, _hooks, _time, NullLogger<DeploymentLoop>.Instance);

    private async Task StartAsync(string strategy, DeploymentHooks? hooks = null) =>
        await _store.InsertDeploymentAsync(Deployment.Create("d-1", "orders", "live", 1, 2, DeploymentStrategyParser.Parse(strategy).Strategy!,
            hooks ?? DeploymentHooks.None, [], null, forced: false, _time.GetUtcNow()), Ct);

    private async Task TickAtAsync(DeploymentLoop loop, TimeSpan offset)
    {
        var now = _t0 + offset;
        if (now > _time.GetUtcNow())
        {
            _time.SetUtcNow(now);
        }

        await loop.TickAsync(now, Ct);
    }

    private async Task<(int Version, int? Additional, double Weight)> AliasAsync()
    {
        var alias = (await _store.GetAliasAsync("orders", "live", Ct))!;
        return (alias.Version, alias.AdditionalVersion, alias.AdditionalWeight);
    }

    private sealed class RecordingHookRunner : IDeploymentHookRunner
    {
        public List<HookInvocation> Started { get; } = [];

        public void Start(Deployment deployment, HookInvocation hook) => Started.Add(hook);
    }

    private sealed class ScriptedSignals : IDeploymentSignals
    {
        public IReadOnlyList<WatchedAlarm> Alarms { get; set; } = [];

        public Task<DeploymentObservation> ObserveAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult(DeploymentObservation.None with { Alarms = Alarms });
    }
}
