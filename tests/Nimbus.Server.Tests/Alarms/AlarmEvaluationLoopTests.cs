using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Metrics;
using Nimbus.Server.Alarms;
using Nimbus.Server.Alarms.Notifications;
using Nimbus.Server.Storage;
using Nimbus.Server.Timeline;

namespace Nimbus.Server.Tests.Alarms;

public sealed class AlarmEvaluationLoopTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-alarms-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly FakeTimeProvider _time = new(T0.AddSeconds(5));
    private SqliteStore _store = null!;
    private SqliteObservabilityStore _metrics = null!;
    private SqliteAlarmStore _alarms = null!;
    private AlarmEvaluationLoop _loop = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteStore(Path.Combine(_directory, "nimbus.db"), _time);
        await _store.InitializeAsync(CancellationToken.None);
        _metrics = new SqliteObservabilityStore(Path.Combine(_directory, "observability.db"));
        await _metrics.InitializeAsync(CancellationToken.None);
        _alarms = new SqliteAlarmStore(Path.Combine(_directory, "alarms.db"));
        await _alarms.InitializeAsync(CancellationToken.None);
        var timeline = new TimelineService([new ControlPlaneTimelineSource(_store), new AlarmTimelineSource(_alarms)]);
        _loop = new AlarmEvaluationLoop(
            _alarms, new AlarmDatapointReader(_metrics), new AlarmSync(_alarms, _store), new AlarmNotifier(_alarms, _metrics, timeline),
            new Nimbus.Server.Slos.SloStatusService(_store, _metrics), _time,
            NullLogger<AlarmEvaluationLoop>.Instance);
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "checkout", Runtime = "node22" }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _loop.Dispose();
        await _alarms.DisposeAsync();
        await _metrics.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One minute of traffic starting at <paramref name="minute"/>, stored as the flusher stores it: one delta in
    /// its 10-second, 1-minute and 1-hour buckets. Counters are one sample per invocation, 0 or 1.</summary>
    private Task WriteMinuteAsync(DateTimeOffset minute, int invocations, int errors)
    {
        var buckets = new List<MetricBucket>();
        foreach (var period in MetricPeriods.Stored)
        {
            var start = MetricPeriods.BucketStart(minute, period);
            buckets.Add(new MetricBucket(Key(MetricNames.Invocations), period, start, new MetricStatistics(invocations, invocations, 1, 1, null)));
            buckets.Add(new MetricBucket(Key(MetricNames.Errors), period, start, new MetricStatistics(invocations, errors, 0, errors > 0 ? 1 : 0, null)));
        }

        return _metrics.MergeBucketsAsync(buckets, CancellationToken.None);
    }

    /// <summary>These tests watch one alarm; 10 % errors would also (rightly) page the default objective's burn-rate alarms.</summary>
    private Task WithoutTheDefaultSloAsync() => _store.UpsertFunctionConfigAsync(
        new FunctionConfig { Name = "checkout", Runtime = "node22", DefaultSlo = new Nimbus.Core.Slos.DefaultSloConfig { Enabled = false } }, CancellationToken.None);

    private static MetricSeriesKey Key(string metric) => new("checkout", MetricSeriesKey.Any, MetricSeriesKey.Any, metric, "");

    private async Task<IReadOnlyList<AlarmTransition>> TickAtAsync(DateTimeOffset now)
    {
        _time.SetUtcNow(now);
        return await _loop.TickAsync(_time.GetUtcNow(), CancellationToken.None);
    }

    [Fact]
    public async Task Tick_ForANewFunction_CreatesItsDefaultAlarmsAndSettlesThemOk()
    {
        var transitions = await TickAtAsync(T0.AddSeconds(5));

        var alarms = await _alarms.ListAsync("checkout", CancellationToken.None);
        Assert.Equal(
            [
                "checkout-async-event-age", "checkout-availability-page-1h", "checkout-availability-page-6h", "checkout-availability-ticket-3d",
                "checkout-dead-lettered", "checkout-duration", "checkout-error-rate", "checkout-init-failures", "checkout-throttles",
            ],
            alarms.Select(a => a.Definition.Name));
        Assert.All(alarms, a => Assert.Equal((AlarmState.Ok, true), (a.State, a.IsDefault)));
        Assert.All(transitions, t => Assert.Equal((AlarmState.InsufficientData, AlarmState.Ok), (t.OldState, t.NewState)));
        Assert.Equal(9, transitions.Count);
    }

    [Fact]
    public async Task Tick_ErrorRateOverFivePercentForThreeMinutes_GoesToAlarmAndBackToOk()
    {
        await WithoutTheDefaultSloAsync();
        await TickAtAsync(T0.AddSeconds(5));
        await WriteMinuteAsync(T0.AddMinutes(1), invocations: 10, errors: 1);
        await WriteMinuteAsync(T0.AddMinutes(2), invocations: 10, errors: 1);
        await WriteMinuteAsync(T0.AddMinutes(3), invocations: 10, errors: 1);

        // At 20:03:05 the range is 20:02, 20:01, 20:00; 20:00 had no invocations, which counts as not breaching.
        Assert.Empty(await TickAtAsync(T0.AddMinutes(3).AddSeconds(5)));

        var toAlarm = Assert.Single(await TickAtAsync(T0.AddMinutes(4).AddSeconds(5)));
        Assert.Equal(("checkout-error-rate", AlarmState.Ok, AlarmState.Alarm), (toAlarm.Alarm, toAlarm.OldState, toAlarm.NewState));
        Assert.Equal(
            "Threshold Crossed: 3 out of the last 3 datapoints [10.0 (01/12/26 20:03:00), 10.0 (01/12/26 20:02:00), 10.0 (01/12/26 20:01:00)] "
            + "were greater than or equal to the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).",
            toAlarm.Reason);
        var stored = await _alarms.GetAsync("checkout-error-rate", CancellationToken.None);
        Assert.Equal((AlarmState.Alarm, toAlarm.Reason, T0.AddMinutes(4).AddSeconds(5)), (stored!.State, stored.Reason, stored.StateUpdatedAt));

        // 20:04 is clean: 1 of the last 3 not breaching is enough for OK.
        await WriteMinuteAsync(T0.AddMinutes(4), invocations: 10, errors: 0);
        var toOk = Assert.Single(await TickAtAsync(T0.AddMinutes(5).AddSeconds(5)));
        Assert.Equal((AlarmState.Alarm, AlarmState.Ok), (toOk.OldState, toOk.NewState));

        var history = await _alarms.ListHistoryAsync("checkout-error-rate", 10, CancellationToken.None);
        Assert.Equal(
            [(AlarmState.Alarm, AlarmState.Ok), (AlarmState.Ok, AlarmState.Alarm), (AlarmState.InsufficientData, AlarmState.Ok)],
            history.Select(h => (h.OldState, h.NewState)));
    }

    [Fact]
    public async Task Tick_ErrorRateUnderTheThreshold_StaysOk()
    {
        await WithoutTheDefaultSloAsync();
        await TickAtAsync(T0.AddSeconds(5));
        for (var minute = 1; minute <= 3; minute++)
        {
            await WriteMinuteAsync(T0.AddMinutes(minute), invocations: 100, errors: 4);
        }

        Assert.Empty(await TickAtAsync(T0.AddMinutes(4).AddSeconds(5)));
        Assert.Equal(AlarmState.Ok, (await _alarms.GetAsync("checkout-error-rate", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Tick_AfterTheFunctionIsDeleted_RemovesItsDefaultAlarms()
    {
        await TickAtAsync(T0.AddSeconds(5));

        await _store.DeleteFunctionAsync("checkout", CancellationToken.None);
        await TickAtAsync(T0.AddSeconds(15));

        Assert.Empty(await _alarms.ListAsync("checkout", CancellationToken.None));
    }

    [Fact]
    public async Task Running_WhenTheFakeClockPassesTheInterval_EvaluatesAndReportsTheTransitions()
    {
        var evaluated = new TaskCompletionSource<IReadOnlyList<AlarmTransition>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Evaluated += transitions => evaluated.TrySetResult(transitions);
        await _loop.StartAsync(CancellationToken.None);
        try
        {
            // The timer is created on the background task; advance until its first tick has run.
            for (var i = 0; i < 200 && !evaluated.Task.IsCompleted; i++)
            {
                _time.Advance(AlarmEvaluationLoop.Interval);
                await Task.WhenAny(evaluated.Task, Task.Delay(25));
            }

            var transitions = await evaluated.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(9, transitions.Count(t => t.NewState == AlarmState.Ok));
        }
        finally
        {
            await _loop.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Tick_DeclaredAlarmsAndTunedDefaults_FollowTheFunctionsConfiguration()
    {
        await _store.UpsertFunctionConfigAsync(new FunctionConfig
        {
            Name = "checkout",
            Runtime = "node22",
            Alarms = [new AlarmConfig { Name = "checkout-errors", Metric = "errors", Period = "10s", EvaluationPeriods = 3, DatapointsToAlarm = 2, Comparison = "GreaterThanOrEqualToThreshold", Threshold = 1 }],
            DefaultAlarms = new Dictionary<string, DefaultAlarmConfig> { ["errorRate"] = new() { Threshold = 2 }, ["throttles"] = new() { Enabled = false } },
        }, CancellationToken.None);
        await TickAtAsync(T0.AddSeconds(5));

        var alarms = (await _alarms.ListAsync("checkout", CancellationToken.None)).ToDictionary(a => a.Definition.Name);
        Assert.False(alarms.ContainsKey("checkout-throttles"));
        Assert.Equal((2.0, true), (alarms["checkout-error-rate"].Definition.Threshold, alarms["checkout-error-rate"].IsDefault));
        Assert.Equal((TimeSpan.FromSeconds(10), false), (alarms["checkout-errors"].Definition.Period, alarms["checkout-errors"].IsDefault));

        // Removing the declaration removes the alarm; switching the default back on brings it back.
        await _store.UpsertFunctionConfigAsync(new FunctionConfig { Name = "checkout", Runtime = "node22" }, CancellationToken.None);
        await TickAtAsync(T0.AddSeconds(15));
        var after = (await _alarms.ListAsync("checkout", CancellationToken.None)).Select(a => a.Definition.Name).ToList();
        Assert.DoesNotContain("checkout-errors", after);
        Assert.Contains("checkout-throttles", after);
    }

    [Fact]
    public async Task Tick_AlarmWithATarget_QueuesANotificationNamingTheReasonAndTheRunbook_UnlessMuted()
    {
        await _store.UpsertFunctionConfigAsync(new FunctionConfig
        {
            Name = "checkout",
            Runtime = "node22",
            DefaultAlarms = new Dictionary<string, DefaultAlarmConfig> { ["errorRate"] = new() { EvaluationPeriods = 1, Notify = ["webhook:http://127.0.0.1:9/hook"] } },
        }, CancellationToken.None);
        await TickAtAsync(T0.AddSeconds(5));
        Assert.Empty(await _alarms.ListNotificationsAsync("checkout-error-rate", 10, CancellationToken.None));

        await WriteMinuteAsync(T0.AddMinutes(1), invocations: 10, errors: 5);
        await TickAtAsync(T0.AddMinutes(2).AddSeconds(5));

        var queued = Assert.Single(await _alarms.ListNotificationsAsync("checkout-error-rate", 10, CancellationToken.None));
        Assert.Equal(("webhook:http://127.0.0.1:9/hook", "alarm.transition", "pending"), (queued.Target, queued.Event, queued.Status));
        var (_, payload) = Assert.Single(await _alarms.ListDueNotificationsAsync(T0.AddMinutes(3), 10, CancellationToken.None));
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        Assert.Equal("ALARM", json.RootElement.GetProperty("newState").GetString());
        Assert.Contains("[50.0 (01/12/26 20:01:00)]", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("nimbus runbook checkout-error-rate", json.RootElement.GetProperty("runbook").GetString());
        Assert.Contains(json.RootElement.GetProperty("recentChanges").EnumerateArray(), c => c.GetProperty("kind").GetString() == "function.created");

        // Muted: the recovery is recorded but not sent.
        await _alarms.SetMutedUntilAsync("checkout-error-rate", T0.AddHours(2), CancellationToken.None);
        await WriteMinuteAsync(T0.AddMinutes(2), invocations: 10, errors: 0);
        var recovered = Assert.Single(await TickAtAsync(T0.AddMinutes(3).AddSeconds(5)));
        Assert.Equal(AlarmState.Ok, recovered.NewState);
        Assert.Single(await _alarms.ListNotificationsAsync("checkout-error-rate", 10, CancellationToken.None));
    }

    [Theory]
    [InlineData(10, AlarmState.Alarm)]
    [InlineData(0, AlarmState.Ok)]
    public async Task Tick_SloBurnRateAlarm_FiresForAFastBurnOnly(int errorsPerMinute, AlarmState expected)
    {
        await _store.UpsertFunctionConfigAsync(new FunctionConfig
        {
            Name = "checkout",
            Runtime = "node22",
            Slos = [new Nimbus.Core.Slos.SloConfig { Name = "availability", Objective = 99.9 }],
        }, CancellationToken.None);

        // An hour of 100 invocations a minute; with 10 errors a minute that is a 10 % error ratio, a burn of 100.
        for (var minute = 0; minute < 60; minute++)
        {
            await WriteMinuteAsync(T0.AddMinutes(minute), invocations: 100, errors: errorsPerMinute);
        }

        await TickAtAsync(T0.AddMinutes(60).AddSeconds(5));

        var page = await _alarms.GetAsync("checkout-availability-page-1h", CancellationToken.None);
        Assert.Equal(expected, page!.State);
        Assert.StartsWith(expected == AlarmState.Alarm ? "Burn rate crossed: burn rate 100.0 over the long window" : "Burn rate below threshold", page.Reason, StringComparison.Ordinal);
        Assert.True(page.IsDefault);
    }
    [Fact]
    public async Task Tick_TheDefaultObjective_WithNoConfiguration_PagesOnAFastBurn()
    {
        for (var minute = 0; minute < 60; minute++)
        {
            await WriteMinuteAsync(T0.AddMinutes(minute), invocations: 100, errors: 10);
        }

        var transitions = await TickAtAsync(T0.AddMinutes(60).AddSeconds(5));

        Assert.Contains(transitions, t => (t.Alarm, t.NewState) == ("checkout-availability-page-1h", AlarmState.Alarm));
        Assert.Contains(transitions, t => (t.Alarm, t.NewState) == ("checkout-availability-page-6h", AlarmState.Alarm));
    }
}

