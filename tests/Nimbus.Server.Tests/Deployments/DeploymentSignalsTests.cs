using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Alarms;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Core.Metrics;
using Nimbus.Core.Slos;
using System.Text.Json;
using Nimbus.Server.Alarms;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Deployments;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;
using Nimbus.Server.Timeline;

namespace Nimbus.Server.Tests.Deployments;

/// <summary>
/// The deployment loop with the real signals over real SQLite alarm and metric stores, on fake time: a version whose
/// calls fail is rolled back by the function's default error-rate alarm evaluated on that version alone; a healthy one
/// completes; a named alarm in ALARM rolls back; the comparison and the budget gate read the same stores.
/// </summary>
public sealed class DeploymentSignalsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-signal-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ListedSlos _slos = new();
    private SqliteStore _store = null!;
    private SqliteObservabilityStore _metrics = null!;
    private SqliteAlarmStore _alarms = null!;
    private RoutingState _routing = null!;
    private DeploymentLoop _loop = null!;
    private DeploymentSignals _signals = null!;
    private DeploymentAlarmStates _alarmStates = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await _store.InitializeAsync(Ct);
        _metrics = new SqliteObservabilityStore(Path.Combine(_directory, "observability.db"));
        await _metrics.InitializeAsync(Ct);
        _alarms = new SqliteAlarmStore(Path.Combine(_directory, "alarms.db"));
        await _alarms.InitializeAsync(Ct);
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler" }, Ct);
        await _store.SetFunctionCodeAsync("orders", "sha-1", 10, Ct);
        await _store.PublishVersionAsync("orders", null, Ct);
        await _store.SetFunctionCodeAsync("orders", "sha-2", 10, Ct);
        await _store.PublishVersionAsync("orders", null, Ct);
        await _store.UpsertAliasAsync(new AliasRecord("orders", "live", 1, null, 0, null, _time.GetUtcNow()), Ct);
        _routing = new RoutingState(_store);
        await _routing.ReloadAsync(Ct);
        _signals = new DeploymentSignals(_store, _alarms, new AlarmDatapointReader(_metrics), _metrics, _slos);
        _alarmStates = new DeploymentAlarmStates(_time);
        var timeline = new TimelineService([new DeploymentTimelineSource(_store)]);
        var notifier = new DeploymentRollbackNotifier(_alarms, new AlarmNotifier(_alarms, _metrics, timeline));
        _loop = new DeploymentLoop(_store, _store, _routing, _signals, new NoHooks(), _time, NullLogger<DeploymentLoop>.Instance,
            alarmStates: _alarmStates, notifier: notifier);
    }

    public async Task DisposeAsync()
    {
        await _alarms.DisposeAsync();
        await _metrics.DisposeAsync();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task FailingNewVersion_IsRolledBackByTheDefaultErrorRateAlarmOnThatVersion()
    {
        await StartAsync("Linear10PercentEvery10Minutes");
        await _loop.TickAsync(_time.GetUtcNow(), Ct);
        Assert.Equal((1, 2, 0.1), await AliasAsync());

        // Three minutes in which version 2 fails half its calls while version 1 is clean.
        for (var minute = 0; minute < 3; minute++)
        {
            await RecordAsync(version: 2, calls: 10, errors: 5, durationMs: 20);
            await RecordAsync(version: 1, calls: 90, errors: 0, durationMs: 20);
            _time.Advance(TimeSpan.FromMinutes(1));
            await _loop.TickAsync(_time.GetUtcNow(), Ct);
            if (minute < 2)
            {
                Assert.Equal(DeploymentState.Shifting, (await DeploymentAsync()).State);
            }
        }

        var ended = await DeploymentAsync();
        Assert.Equal(DeploymentState.RolledBack, ended.State);
        Assert.StartsWith("alarm 'orders-error-rate' is in ALARM on version 2: Threshold Crossed", ended.Reason, StringComparison.Ordinal);
        Assert.Equal((1, null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task RollbackByTheDefaultAlarm_NotifiesItsTargetsWithTheAlarmAndItsDatapoints()
    {
        await ConfigureAsync(new Dictionary<string, DefaultAlarmConfig>
        {
            ["errorRate"] = new() { Period = "10s", Notify = ["webhook:http://127.0.0.1:9/hook"] },
        });
        await StartAsync("Linear10PercentEvery10Minutes");
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        // Three 10-second periods in which version 2 fails every call.
        for (var period = 0; period < 3; period++)
        {
            await RecordAsync(version: 2, calls: 10, errors: 10, durationMs: 20);
            _time.Advance(TimeSpan.FromSeconds(10));
            await _loop.TickAsync(_time.GetUtcNow(), Ct);
        }

        var ended = await DeploymentAsync();
        Assert.Equal(DeploymentState.RolledBack, ended.State);
        var (delivery, payload) = Assert.Single(await _alarms.ListDueNotificationsAsync(_time.GetUtcNow(), 10, Ct));
        Assert.Equal(("orders-error-rate", AlarmNotification.DeploymentRolledBackEvent, "webhook:http://127.0.0.1:9/hook"),
            (delivery.Alarm, delivery.Event, delivery.Target));
        using var body = JsonDocument.Parse(payload);
        Assert.Equal("orders-error-rate", body.RootElement.GetProperty("alarm").GetString());
        Assert.Equal(ended.Reason, body.RootElement.GetProperty("reason").GetString());
        Assert.Contains("datapoints", ended.Reason, StringComparison.Ordinal);
        Assert.Equal(("d-1", "live", "1", "2"), (
            body.RootElement.GetProperty("deployment").GetProperty("id").GetString(),
            body.RootElement.GetProperty("deployment").GetProperty("alias").GetString(),
            body.RootElement.GetProperty("deployment").GetProperty("fromVersion").GetString(),
            body.RootElement.GetProperty("deployment").GetProperty("toVersion").GetString()));
        Assert.Equal("ALARM", _alarmStates.Get("d-1").Single(a => a.Name == "orders-error-rate").State);
    }

    [Fact]
    public async Task RollbackByRequest_SendsNoNotification()
    {
        await ConfigureAsync(new Dictionary<string, DefaultAlarmConfig> { ["errorRate"] = new() { Notify = ["webhook:http://127.0.0.1:9/hook"] } });
        await StartAsync("Canary10Percent30Minutes");
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        await _store.SetDeploymentCommandAsync("d-1", DeploymentCommand.Rollback, Ct);
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        Assert.Equal(DeploymentState.RolledBack, (await DeploymentAsync()).State);
        Assert.Empty(await _alarms.ListDueNotificationsAsync(_time.GetUtcNow(), 10, Ct));
    }

    [Fact]
    public async Task WatchedAlarms_AreTheDefaultsAsDefaultAlarmsTunesThem_WithTheirStates()
    {
        await ConfigureAsync(new Dictionary<string, DefaultAlarmConfig> { ["errorRate"] = new() { Enabled = false } });
        await StartAsync("Canary10Percent30Minutes");
        await _loop.TickAsync(_time.GetUtcNow(), Ct);
        await RecordAsync(version: 2, calls: 10, errors: 0, durationMs: 20);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        var watched = _alarmStates.Get("d-1");
        Assert.DoesNotContain(watched, a => a.Name == "orders-error-rate");
        Assert.Equal("OK", watched.Single(a => a.Name == "orders-throttles").State);
    }

    [Fact]
    public async Task HealthyNewVersion_CompletesTheCanary()
    {
        await StartAsync("Canary10Percent5Minutes");
        await _loop.TickAsync(_time.GetUtcNow(), Ct);
        for (var minute = 0; minute < 5; minute++)
        {
            await RecordAsync(version: 2, calls: 30, errors: 0, durationMs: 20);
            await RecordAsync(version: 1, calls: 270, errors: 1, durationMs: 20);
            _time.Advance(TimeSpan.FromMinutes(1));
            await _loop.TickAsync(_time.GetUtcNow(), Ct);
        }

        Assert.Equal(DeploymentState.Succeeded, (await DeploymentAsync()).State);
        Assert.Equal((2, null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task NamedAlarmInAlarm_RollsBackWithItsReason()
    {
        var alarm = new AlarmDefinition("checkout-latency", new AlarmDimensions("orders"), AlarmMetric.Single(MetricNames.Duration),
            new AlarmStatistic("p99", 99), TimeSpan.FromMinutes(1), 1, 1, ComparisonOperator.GreaterThanThreshold, 500);
        await _alarms.UpsertAsync(alarm, isDefault: false, _time.GetUtcNow(), Ct);
        await StartAsync("Canary10Percent30Minutes", ["default", "checkout-latency"]);
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        await _alarms.RecordTransitionAsync(new AlarmTransition("checkout-latency", _time.GetUtcNow(), AlarmState.Ok, AlarmState.Alarm, "p99 900 ms > 500"), Ct);
        _time.Advance(DeploymentLoop.Period);
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        var ended = await DeploymentAsync();
        Assert.Equal(DeploymentState.RolledBack, ended.State);
        Assert.Equal("alarm 'checkout-latency' is in ALARM on version 2: p99 900 ms > 500", ended.Reason);
    }

    [Fact]
    public async Task Comparison_NewVersionWorseThanTheOld_RollsBack()
    {
        await StartAsync("Canary10Percent30Minutes");
        await _loop.TickAsync(_time.GetUtcNow(), Ct);
        // Errors below the default alarm's 5 %, but well above the old version's rate.
        await RecordAsync(version: 2, calls: 200, errors: 8, durationMs: 20);
        await RecordAsync(version: 1, calls: 200, errors: 0, durationMs: 20);
        _time.Advance(TimeSpan.FromSeconds(10));
        await _loop.TickAsync(_time.GetUtcNow(), Ct);

        var ended = await DeploymentAsync();
        Assert.Equal(DeploymentState.RolledBack, ended.State);
        Assert.Equal("comparison with version 1: error rate 4% on the new version against 0% on the old (8/200 vs 0/200)", ended.Reason);
    }

    [Fact]
    public async Task Budget_BurningAboveTheGate_IsReportedFromTheObjectiveAndItsMetrics()
    {
        _slos.Objectives = [SloDefinition.Availability("orders-availability", "orders", 99)];
        await RecordAsync(version: 1, calls: 100, errors: 10, durationMs: 20);
        _time.Advance(TimeSpan.FromMinutes(1));
        var deployment = Deployment.Create("d-1", "orders", "live", 1, 2, DeploymentStrategyParser.Parse("AllAtOnce").Strategy!,
            DeploymentHooks.None, [], new BudgetGateSettings(6), forced: false, _time.GetUtcNow());

        var observed = await _signals.ObserveAsync(deployment, _time.GetUtcNow(), Ct);

        // 10 % errors against a 1 % allowance: burning at 10x, the budget spent nine times over.
        Assert.Equal(10, observed.Budget.BurnRate!.Value, 6);
        Assert.True(observed.Budget.RemainingFraction <= 0);
        Assert.False(BudgetGate.Evaluate(deployment.BudgetGate, observed.Budget, forced: false).Open);
    }

    /// <summary>Gives the function these <c>defaultAlarms</c> and stores its alarms, as a deploy does.</summary>
    private async Task ConfigureAsync(IReadOnlyDictionary<string, DefaultAlarmConfig> defaults)
    {
        await _store.UpsertFunctionConfigAsync(
            new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler", DefaultAlarms = defaults }, Ct);
        await new AlarmSync(_alarms, _store).SyncFunctionAsync("orders", _time.GetUtcNow(), Ct);
    }

    private Task StartAsync(string strategy, IReadOnlyList<string>? alarms = null) =>
        _store.InsertDeploymentAsync(Deployment.Create("d-1", "orders", "live", 1, 2, DeploymentStrategyParser.Parse(strategy).Strategy!,
            DeploymentHooks.None, alarms ?? [], null, forced: false, _time.GetUtcNow()), Ct);

    private async Task<Deployment> DeploymentAsync() => (await _store.GetDeploymentAsync("d-1", Ct))!;

    private async Task<(int Version, int? Additional, double Weight)> AliasAsync()
    {
        var alias = (await _store.GetAliasAsync("orders", "live", Ct))!;
        return (alias.Version, alias.AdditionalVersion, alias.AdditionalWeight);
    }

    /// <summary>Calls of one version in the current 10-second bucket, as the flusher stores them (the version's and the
    /// function's series, each in every stored period).</summary>
    private async Task RecordAsync(int version, long calls, long errors, double durationMs)
    {
        var now = _time.GetUtcNow();
        var histogram = new LogHistogram();
        histogram.Add(durationMs, calls);
        var deltas = new List<MetricBucket>();
        foreach (var series in new[] { version.ToString(System.Globalization.CultureInfo.InvariantCulture), MetricSeriesKey.Any })
        {
            foreach (var period in MetricPeriods.Stored)
            {
                var start = MetricPeriods.BucketStart(now, period);
                deltas.Add(new(new("orders", series, MetricSeriesKey.Any, MetricNames.Invocations, ""), period, start,
                    new MetricStatistics(calls, calls, 1, 1, null)));
                deltas.Add(new(new("orders", series, MetricSeriesKey.Any, MetricNames.Errors, ""), period, start,
                    new MetricStatistics(calls, errors, 0, errors > 0 ? 1 : 0, null)));
                var durations = new LogHistogram();
                durations.Merge(histogram);
                deltas.Add(new(new("orders", series, MetricSeriesKey.Any, MetricNames.Duration, ""), period, start,
                    new MetricStatistics(calls, calls * durationMs, durationMs, durationMs, durations)));
            }
        }

        await _metrics.MergeBucketsAsync(deltas, Ct);
    }

    private sealed class NoHooks : IDeploymentHookRunner
    {
        public void Start(Deployment deployment, HookInvocation hook)
        {
        }
    }

    private sealed class ListedSlos : ISloCatalog
    {
        public IReadOnlyList<SloDefinition> Objectives { get; set; } = [];

        public Task<IReadOnlyList<SloDefinition>> ListAsync(string function, CancellationToken cancellationToken) => Task.FromResult(Objectives);
    }
}
