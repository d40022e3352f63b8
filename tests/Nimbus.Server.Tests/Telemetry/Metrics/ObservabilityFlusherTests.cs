using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Invocations;
using Nimbus.Core.Metrics;
using Nimbus.Server.Storage;
using Nimbus.Server.Telemetry.Errors;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Server.Tests.Telemetry.Metrics;

public sealed class ObservabilityFlusherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nimbus-obs-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly List<ConcurrencySample> _busy = [];
    private SqliteObservabilityStore _store = null!;
    private InvocationMetrics _metrics = null!;
    private InvocationMeter _meter = null!;
    private ErrorTracker _errors = null!;
    private ObservabilityFlusher _flusher = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteObservabilityStore(Path.Combine(_directory, "observability.db"));
        Directory.CreateDirectory(_directory);
        await _store.InitializeAsync(CancellationToken.None);
        _meter = new InvocationMeter(() => _busy);
        _errors = new ErrorTracker();
        _metrics = new InvocationMetrics(_meter, new PrometheusRegistry(), _errors);
        _flusher = new ObservabilityFlusher(_metrics, _errors, _store, () => _busy, _time, NullLogger<ObservabilityFlusher>.Instance);
    }

    public async Task DisposeAsync()
    {
        _flusher.Dispose();
        _meter.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private InvocationRecord Record(InvocationOutcome outcome, double durationMs, string? errorType = null, byte[]? body = null) =>
        new(Guid.NewGuid().ToString(), "fn", "1", null, _time.GetUtcNow(), durationMs, null, false, outcome, errorType, 50, null, 256, body);

    private async Task<IReadOnlyList<MetricBucket>> ReadAsync(string metric, int period, string version = MetricSeriesKey.Any) =>
        await _store.ReadBucketsAsync(new MetricSeriesKey("fn", version, MetricSeriesKey.Any, metric, ""), period, T0.AddDays(-400), T0.AddDays(400), CancellationToken.None);

    [Fact]
    public async Task Tick_TwoFlushesIntoTheSameBuckets_MergesCountsAndHistogramsExactly()
    {
        _metrics.Observe([Record(InvocationOutcome.Success, 10), Record(InvocationOutcome.Success, 20)]);
        await _flusher.TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        _metrics.Observe([Record(InvocationOutcome.FunctionError, 40, "Error")]);
        await _flusher.TickAsync(CancellationToken.None);

        var tenSeconds = Assert.Single(await ReadAsync(MetricNames.Duration, 10)).Statistics;
        Assert.Equal(3, tenSeconds.SampleCount);
        Assert.Equal(70, tenSeconds.Sum);
        Assert.Equal(10, tenSeconds.Minimum);
        Assert.Equal(40, tenSeconds.Maximum);
        Assert.Equal(3, tenSeconds.Histogram!.TotalCount);
        Assert.Equal(3, Assert.Single(await ReadAsync(MetricNames.Invocations, 60)).Statistics.Sum);
        Assert.Equal(1, Assert.Single(await ReadAsync(MetricNames.Errors, 3600)).Statistics.Sum);
    }

    [Fact]
    public async Task Tick_RecordsAcrossTwoMinutes_RollUpIntoMinutesAndOneHour()
    {
        for (var i = 0; i < 12; i++)
        {
            _metrics.Observe([Record(InvocationOutcome.Success, 1)]);
            _time.Advance(TimeSpan.FromSeconds(10));
            await _flusher.TickAsync(CancellationToken.None);
        }

        Assert.Equal(Enumerable.Repeat(1.0, 12), (await ReadAsync(MetricNames.Invocations, 10)).Select(b => b.Statistics.Sum));
        Assert.Equal([6.0, 6.0], (await ReadAsync(MetricNames.Invocations, 60)).Select(b => b.Statistics.Sum));
        Assert.Equal(12, Assert.Single(await ReadAsync(MetricNames.Invocations, 3600)).Statistics.Sum);
    }

    [Fact]
    public async Task Tick_SamplesConcurrencyPerVersionAndForTheFunction()
    {
        _busy.AddRange([new ConcurrencySample("fn", "1", 2), new ConcurrencySample("fn", "2", 3)]);

        await _flusher.TickAsync(CancellationToken.None);

        Assert.Equal(5, Assert.Single(await ReadAsync(MetricNames.ConcurrentExecutions, 10)).Statistics.Maximum);
        Assert.Equal(2, Assert.Single(await ReadAsync(MetricNames.ConcurrentExecutions, 10, version: "1")).Statistics.Maximum);
    }

    [Fact]
    public async Task Prune_AsTimePasses_KeepsEachPeriodForItsRetentionOnly()
    {
        _metrics.Observe([Record(InvocationOutcome.Success, 1)]);
        await _flusher.TickAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await _flusher.TickAsync(CancellationToken.None);
        Assert.Empty(await ReadAsync(MetricNames.Invocations, 10));
        Assert.Single(await ReadAsync(MetricNames.Invocations, 60));

        _time.Advance(TimeSpan.FromDays(14));
        await _flusher.TickAsync(CancellationToken.None);
        Assert.Empty(await ReadAsync(MetricNames.Invocations, 60));
        Assert.Single(await ReadAsync(MetricNames.Invocations, 3600));

        _time.Advance(TimeSpan.FromDays(351));
        await _flusher.TickAsync(CancellationToken.None);
        Assert.Empty(await ReadAsync(MetricNames.Invocations, 3600));
    }

    [Fact]
    public async Task Tick_SameErrorInTwoFlushes_IsOneGroupWithCountsPerVersion()
    {
        var body = LambdaError.Serialize("Error", "order 7 not found", ["at find (/app/index.js:12:3)"]);
        _metrics.Observe([Record(InvocationOutcome.FunctionError, 3, "Error", body)]);
        await _flusher.TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var moved = LambdaError.Serialize("Error", "order 9 not found", ["at find (/app/index.js:14:3)"]);
        _metrics.Observe([Record(InvocationOutcome.FunctionError, 3, "Error", moved) with { Version = "2", RequestId = "last" }]);
        await _flusher.TickAsync(CancellationToken.None);

        var group = Assert.Single(await _store.ListErrorGroupsAsync("fn", 10, CancellationToken.None));
        Assert.Equal(2, group.Count);
        Assert.Equal(T0, group.FirstSeen);
        Assert.Equal(T0.AddMinutes(1), group.LastSeen);
        Assert.Equal("1", group.FirstVersion);
        Assert.Equal("order 9 not found", group.Message);
        Assert.Equal("last", group.SampleRequestId);
        Assert.Equal(["1:1", "2:1"], group.Versions.Select(v => $"{v.Version}:{v.Count}"));
        Assert.Equal(group, await _store.GetErrorGroupAsync(group.Id, CancellationToken.None), ErrorGroupComparer);
    }

    private static readonly IEqualityComparer<Nimbus.Core.Errors.ErrorGroupInfo?> ErrorGroupComparer =
        EqualityComparer<Nimbus.Core.Errors.ErrorGroupInfo?>.Create((a, b) => a?.Id == b?.Id && a?.Count == b?.Count && a?.Fingerprint == b?.Fingerprint);
}
