using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Metrics;
using Nimbus.Core.Slos;
using Nimbus.Server.Alarms;
using Nimbus.Server.Slos;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Tests.Alarms;

public sealed class FunctionHealthQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-health-" + Guid.NewGuid().ToString("n")[..12]);
    private SqliteStore _store = null!;
    private SqliteObservabilityStore _metrics = null!;
    private SqliteAlarmStore _alarms = null!;
    private FunctionHealthQuery _query = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), TimeProvider.System);
        await _store.InitializeAsync(CancellationToken.None);
        _metrics = new SqliteObservabilityStore(Path.Combine(_directory, "observability.db"));
        await _metrics.InitializeAsync(CancellationToken.None);
        _alarms = new SqliteAlarmStore(Path.Combine(_directory, "alarms.db"));
        await _alarms.InitializeAsync(CancellationToken.None);
        _query = new FunctionHealthQuery(_alarms, new AlarmDatapointReader(_metrics), new SloStatusService(_store, _metrics));
        await _store.UpsertFunctionConfigAsync(new FunctionConfig
        {
            Name = "checkout",
            Runtime = "node",
            Handler = "index.handler",
            Slos = [new SloConfig { Name = "availability", Objective = 99 }],
        }, CancellationToken.None);
        await new AlarmSync(_alarms, _store).SyncAllAsync(T0, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _alarms.DisposeAsync();
        await _metrics.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task WriteAsync(string version, DateTimeOffset minute, int invocations, int errors)
    {
        var buckets = new List<MetricBucket>();
        foreach (var period in MetricPeriods.Stored)
        {
            var start = MetricPeriods.BucketStart(minute, period);
            foreach (var v in new[] { version, MetricSeriesKey.Any })
            {
                buckets.Add(new MetricBucket(new("checkout", v, MetricSeriesKey.Any, MetricNames.Invocations, ""), period, start, new MetricStatistics(invocations, invocations, 1, 1, null)));
                buckets.Add(new MetricBucket(new("checkout", v, MetricSeriesKey.Any, MetricNames.Errors, ""), period, start, new MetricStatistics(invocations, errors, 0, 1, null)));
            }
        }

        return _metrics.MergeBucketsAsync(buckets, CancellationToken.None);
    }

    [Fact]
    public async Task Healthy_NoAlarmInAlarm_WholeBudget()
    {
        var health = await _query.GetAsync("checkout", "2", T0, CancellationToken.None);

        Assert.False(health.AnyInAlarm);
        Assert.Contains(health.Alarms, a => a.Name == "checkout-error-rate");
        Assert.Equal(new Core.Deployments.BudgetObservation(1, 0), health.Budget);
    }

    [Fact]
    public async Task AnAlarmInAlarm_AndTheBudgetSpent_AreReported()
    {
        await _alarms.RecordTransitionAsync(new AlarmTransition("checkout-error-rate", T0, AlarmState.InsufficientData, AlarmState.Alarm, "Threshold Crossed"), CancellationToken.None);
        await WriteAsync("2", T0.AddMinutes(-2), invocations: 100, errors: 2);

        var health = await _query.GetAsync("checkout", "2", T0, CancellationToken.None);

        Assert.True(health.AnyInAlarm);
        Assert.Equal("Threshold Crossed", health.Alarms.Single(a => a.InAlarm).Detail);
        // 2 bad of 100 against a 1 % allowance: twice the budget, so nothing left, and a burn of 2 over the last hour.
        Assert.Equal(0, health.Budget.RemainingFraction);
        Assert.Equal(2, health.Budget.BurnRate!.Value, 9);
    }

    [Fact]
    public async Task EvaluateOnVersion_JudgesTheVersionsOwnDatapoints()
    {
        for (var minute = 1; minute <= 3; minute++)
        {
            await WriteAsync("2", T0.AddMinutes(-minute), invocations: 10, errors: 5);
        }

        var canary = await _query.EvaluateOnVersionAsync("checkout-error-rate", "2", T0.AddSeconds(5), CancellationToken.None);
        var other = await _query.EvaluateOnVersionAsync("checkout-error-rate", "1", T0.AddSeconds(5), CancellationToken.None);

        Assert.True(canary!.InAlarm);
        Assert.False(other!.InAlarm);
        Assert.Null(await _query.EvaluateOnVersionAsync("no-such-alarm", "2", T0, CancellationToken.None));
        Assert.Equal(AlarmState.InsufficientData, (await _alarms.GetAsync("checkout-error-rate", CancellationToken.None))!.State);
    }
}
