using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Deployments;
using Nimbus.Core.Functions;
using Nimbus.Server.Deployments;
using Nimbus.Server.Gateway;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Deployments;

/// <summary>The operations behind the deployments API, over a real SQLite store on fake time.</summary>
public sealed class DeploymentManagerTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-deploy-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly BudgetSignals _signals = new();
    private SqliteStore _store = null!;
    private DeploymentLoop _loop = null!;
    private DeploymentManager _manager = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
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
        _loop = new DeploymentLoop(_store, _store, routing, _signals, new IgnoredHooks(), _time, NullLogger<DeploymentLoop>.Instance);
        _manager = new DeploymentManager(_store, _store, _loop, _signals, routing, _time);
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
    public async Task Start_Canary_TakesItsFirstStepAtOnce()
    {
        var (deployment, error) = await _manager.StartAsync("orders", Request("2", "\"Canary10Percent5Minutes\""), Ct);

        Assert.Null(error);
        Assert.Equal(DeploymentState.Shifting, deployment!.State);
        Assert.Equal((1, (int?)2, 0.1), await AliasAsync());
    }

    [Fact]
    public async Task Start_CustomLinearObject_IsAccepted()
    {
        var (deployment, error) = await _manager.StartAsync("orders", Request("2", """{"type": "linear", "percent": 25, "interval": "2m"}"""), Ct);

        Assert.Null(error);
        Assert.Equal("linear 25% every 2m", deployment!.Strategy.DisplayName);
    }

    [Fact]
    public async Task Start_MistypedStrategy_IsA400WithADidYouMean()
    {
        var (_, error) = await _manager.StartAsync("orders", Request("2", "\"Canary10Percent6Minutes\""), Ct);

        Assert.Equal(400, error!.Status);
        Assert.Equal("strategy: unknown strategy 'Canary10Percent6Minutes'; did you mean 'Canary10Percent5Minutes'?", error.Detail);
    }

    [Fact]
    public async Task Start_UnknownVersion_IsA404()
    {
        var (_, error) = await _manager.StartAsync("orders", Request("9", "\"AllAtOnce\""), Ct);

        Assert.Equal((404, "version 9 of 'orders' does not exist"), (error!.Status, error.Detail));
    }

    [Fact]
    public async Task Start_WhileAnotherDeploymentMovesTheAlias_IsA409()
    {
        await _manager.StartAsync("orders", Request("2", "\"Canary10Percent30Minutes\""), Ct);

        var (_, error) = await _manager.StartAsync("orders", Request("3", "\"AllAtOnce\""), Ct);

        Assert.Equal(409, error!.Status);
        Assert.Equal("Deployment in progress", error.Title);
    }

    [Fact]
    public async Task Start_BudgetExhausted_IsRefusedUnlessForced()
    {
        _signals.Budget = new BudgetObservation(0, 10);

        var (_, refused) = await _manager.StartAsync("orders", Request("2", "\"AllAtOnce\""), Ct);
        var (forced, error) = await _manager.StartAsync("orders", Request("2", "\"AllAtOnce\"") with { Force = true }, Ct);

        Assert.Equal((409, "the error budget is exhausted; use --force if this is the fix"), (refused!.Status, refused.Detail));
        Assert.Null(error);
        Assert.Equal(DeploymentState.Succeeded, forced!.State);
        Assert.Equal((2, (int?)null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task Rollback_MidCanary_MovesTheAliasAtOnceAndStopsTheDeployment()
    {
        var (deployment, _) = await _manager.StartAsync("orders", Request("2", "\"Canary10Percent30Minutes\""), Ct);

        var (result, error) = await _manager.RollbackAliasAsync("orders", "live", Ct);

        Assert.Null(error);
        Assert.Equal(new RollbackResult("orders", "live", "1", "1", deployment!.Id), result);
        Assert.Equal((1, (int?)null, 0.0), await AliasAsync());
        Assert.Equal(DeploymentState.RolledBack, (await _store.GetDeploymentAsync(deployment.Id, Ct))!.State);
    }

    [Fact]
    public async Task Rollback_AfterASucceededDeployment_ReturnsToTheLastKnownGoodVersion()
    {
        await _manager.StartAsync("orders", Request("2", "\"AllAtOnce\""), Ct);
        await _manager.StartAsync("orders", Request("3", "\"AllAtOnce\""), Ct);

        var (result, error) = await _manager.RollbackAliasAsync("orders", "live", Ct);

        Assert.Null(error);
        Assert.Equal(new RollbackResult("orders", "live", "3", "2", null), result);
        Assert.Equal((2, (int?)null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task Rollback_WithNoRecordedDeployment_IsA409ThatSaysWhy()
    {
        var (_, error) = await _manager.RollbackAliasAsync("orders", "live", Ct);

        Assert.Equal(409, error!.Status);
        Assert.StartsWith("orders:live serves version 1, and no deployment to it is recorded", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_MidCanary_MovesAllTrafficAndSucceeds()
    {
        var (deployment, _) = await _manager.StartAsync("orders", Request("2", "\"Canary10Percent30Minutes\""), Ct);

        var (promoted, error) = await _manager.CommandAsync(deployment!.Id, DeploymentCommand.Promote, Ct);

        Assert.Null(error);
        Assert.Equal(DeploymentState.Succeeded, promoted!.State);
        Assert.Equal((2, (int?)null, 0.0), await AliasAsync());
    }

    [Fact]
    public async Task Stop_EndedDeployment_IsA409()
    {
        var (deployment, _) = await _manager.StartAsync("orders", Request("2", "\"AllAtOnce\""), Ct);

        var (_, error) = await _manager.CommandAsync(deployment!.Id, DeploymentCommand.Stop, Ct);

        Assert.Equal((409, $"deployment {deployment.Id} is already Succeeded"), (error!.Status, error.Detail));
    }

    [Fact]
    public async Task ReportHook_Failed_RollsBack()
    {
        var request = Request("2", "\"Canary10Percent5Minutes\"") with { Hooks = new("smoke", null, null) };
        var (deployment, _) = await _manager.StartAsync("orders", request, Ct);
        Assert.Equal(DeploymentState.PreTraffic, deployment!.State);

        var (reported, error) = await _manager.ReportHookAsync(deployment.Id, deployment.HookExecutionId!, new("Failed"), Ct);

        Assert.Null(error);
        Assert.Equal(DeploymentState.RolledBack, reported!.State);
    }

    [Theory]
    [InlineData("Done")]
    [InlineData(null)]
    [InlineData("1")]
    public async Task ReportHook_StatusOtherThanSucceededOrFailed_IsA400(string? status)
    {
        var request = Request("2", "\"AllAtOnce\"") with { Hooks = new("smoke", null, null) };
        var (deployment, _) = await _manager.StartAsync("orders", request, Ct);

        var (_, error) = await _manager.ReportHookAsync(deployment!.Id, deployment.HookExecutionId!, new(status), Ct);

        Assert.Equal(400, error!.Status);
    }

    [Fact]
    public async Task ReportHook_UnknownHookExecution_IsA404()
    {
        var (deployment, _) = await _manager.StartAsync("orders", Request("2", "\"Canary10Percent5Minutes\""), Ct);

        var (_, error) = await _manager.ReportHookAsync(deployment!.Id, "nope", new("Succeeded"), Ct);

        Assert.Equal(404, error!.Status);
    }

    private static DeploymentRequest Request(string toVersion, string strategyJson) => new()
    {
        Alias = "live",
        ToVersion = toVersion,
        Strategy = JsonDocument.Parse(strategyJson).RootElement.Clone(),
    };

    private async Task<(int, int?, double)> AliasAsync()
    {
        var alias = (await _store.GetAliasAsync("orders", "live", Ct))!;
        return (alias.Version, alias.AdditionalVersion, alias.AdditionalWeight);
    }

    private sealed class IgnoredHooks : IDeploymentHookRunner
    {
        public void Start(Deployment deployment, HookInvocation hook)
        {
        }
    }

    private sealed class BudgetSignals : IDeploymentSignals
    {
        public BudgetObservation Budget { get; set; } = BudgetObservation.Unknown;

        public Task<DeploymentObservation> ObserveAsync(Deployment deployment, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult(DeploymentObservation.None with { Budget = Budget });
    }
}
