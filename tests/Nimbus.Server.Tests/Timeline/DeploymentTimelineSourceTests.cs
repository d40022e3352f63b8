using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Core.Timeline;
using Nimbus.Server.Deployments;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;
using Nimbus.Server.Timeline;

namespace Nimbus.Server.Tests.Timeline;

/// <summary>Every step, promotion and rollback a deployment takes is on the timeline: the loop over a real SQLite store, on fake time.</summary>
public sealed class DeploymentTimelineSourceTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-timeline-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private SqliteStore _store = null!;
    private DeploymentLoop _loop = null!;
    private DeploymentTimelineSource _source = null!;
    private DateTimeOffset _t0;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await _store.InitializeAsync(Ct);
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "orders", Runtime = "node", Handler = "index.handler" }, Ct);
        for (var i = 1; i <= 3; i++)
        {
            await _store.SetFunctionCodeAsync("orders", $"sha-{i}", 10, Ct);
            await _store.PublishVersionAsync("orders", null, Ct);
        }

        await _store.UpsertAliasAsync(new AliasRecord("orders", "live", 1, null, 0, null, _time.GetUtcNow()), Ct);
        var routing = new RoutingState(_store);
        await routing.ReloadAsync(Ct);
        _loop = new DeploymentLoop(_store, _store, routing, NoDeploymentSignals.Instance, new NoHooks(), _time, NullLogger<DeploymentLoop>.Instance);
        _source = new DeploymentTimelineSource(_store);
        _t0 = _time.GetUtcNow();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task LinearDeployment_EveryStepIsOnTheTimeline_InOrder()
    {
        await StartAsync("d-1", 2, DeploymentStrategyParser.Parse(new Dictionary<string, string?> { ["type"] = "linear", ["percent"] = "40", ["interval"] = "1m" }));
        for (var minute = 0; minute <= 2; minute++)
        {
            await TickAtAsync(TimeSpan.FromMinutes(minute));
        }

        var events = await ReadAsync();
        Assert.Equal(
            [
                (TimelineKinds.DeploymentStarted, "deployment d-1 started: live 1 -> 2 (linear 40% every 1m)"),
                (TimelineKinds.DeploymentStep, "deployment d-1 live Shifting: started: 40% on version 2"),
                (TimelineKinds.DeploymentStep, "deployment d-1 live Shifting: step 2 of 3: 80% on version 2"),
                (TimelineKinds.DeploymentEnded, "deployment d-1 Succeeded (live 1 -> 2): step 3 of 3: all traffic on version 2"),
            ],
            events.Select(e => (e.Kind, e.Summary)));
        Assert.Equal([_t0, _t0, _t0 + TimeSpan.FromMinutes(1), _t0 + TimeSpan.FromMinutes(2)], events.Select(e => e.Timestamp));
    }

    [Fact]
    public async Task PromotionAndRollback_AreOnTheTimeline()
    {
        await StartAsync("d-1", 2, "Canary10Percent30Minutes");
        await TickAtAsync(TimeSpan.Zero);
        await _store.SetDeploymentCommandAsync("d-1", DeploymentCommand.Promote, Ct);
        await TickAtAsync(TimeSpan.FromMinutes(1));

        await StartAsync("d-2", 3, "Canary10Percent30Minutes");
        await TickAtAsync(TimeSpan.FromMinutes(2));
        await _store.SetDeploymentCommandAsync("d-2", DeploymentCommand.Rollback, Ct);
        await TickAtAsync(TimeSpan.FromMinutes(3));

        var events = await ReadAsync();
        Assert.Contains((TimelineKinds.DeploymentPromoted, "deployment d-1 live Succeeded: promoted by request"), events.Select(e => (e.Kind, e.Summary)));
        Assert.Contains((TimelineKinds.DeploymentRolledBack, "deployment d-2 RolledBack (live 2 -> 3): rolled back by request"),
            events.Select(e => (e.Kind, e.Summary)));
        Assert.Equal(2, events.Count(e => e.Kind == TimelineKinds.DeploymentStep));
    }

    private Task StartAsync(string id, int toVersion, string strategy) => StartAsync(id, toVersion, DeploymentStrategyParser.Parse(strategy));

    private async Task StartAsync(string id, int toVersion, StrategyParseResult parsed)
    {
        await _store.InsertDeploymentAsync(Deployment.Create(id, "orders", "live", toVersion - 1, toVersion, parsed.Strategy!,
            DeploymentHooks.None, [], null, forced: false, _time.GetUtcNow()), Ct);
    }

    private async Task TickAtAsync(TimeSpan offset)
    {
        _time.SetUtcNow(_t0 + offset);
        await _loop.TickAsync(_time.GetUtcNow(), Ct);
    }

    private async Task<IReadOnlyList<TimelineEvent>> ReadAsync() =>
        (await _source.ReadAsync("orders", _t0, 100, Ct)).OrderBy(e => e.Timestamp).ThenBy(e => e.Kind == TimelineKinds.DeploymentStarted ? 0 : 1).ToList();

    private sealed class NoHooks : IDeploymentHookRunner
    {
        public void Start(Deployment deployment, HookInvocation hook)
        {
        }
    }
}
