using Nimbus.Core.Api;
using Nimbus.Core.Metrics;
using Nimbus.Core.Slos;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Slos;

/// <summary>Every declared objective's status now: counts over its window and over each burn-rate window, read from the
/// metric store (<see cref="SloCounting"/>), judged by <see cref="ErrorBudget"/> and <see cref="BurnRateEvaluator"/>.</summary>
public sealed class SloStatusService(INimbusStore store, SqliteObservabilityStore metrics)
{
    /// <summary>The objectives of one function, or of all (null), by function then name.</summary>
    public async Task<IReadOnlyList<SloStatus>> ListAsync(string? function, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var functions = function is null
            ? await store.ListFunctionsAsync(cancellationToken).ConfigureAwait(false)
            : await store.GetFunctionAsync(function, cancellationToken).ConfigureAwait(false) is { } one ? [one] : [];
        var result = new List<SloStatus>();
        foreach (var record in functions.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            foreach (var slo in SloConfigs.AllFor(record.Config))
            {
                result.Add(await StatusAsync(slo, now, cancellationToken).ConfigureAwait(false));
            }
        }

        return result;
    }

    public async Task<SloStatus> StatusAsync(SloDefinition slo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var rules = BurnRateAlerts.Default;
        var window = await CountAsync(slo, slo.Window, now, cancellationToken).ConfigureAwait(false);
        var burnWindows = new Dictionary<TimeSpan, SloCounts>();
        foreach (var length in BurnRateAlerts.Windows(rules))
        {
            burnWindows[length] = await CountAsync(slo, length, now, cancellationToken).ConfigureAwait(false);
        }

        return SloStatus.From(slo, window, burnWindows, rules);
    }

    private async Task<SloCounts> CountAsync(SloDefinition slo, TimeSpan length, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = SloCounting.PeriodFor(length);
        var since = now - length;
        Task<IReadOnlyList<MetricBucket>> Read(string metric) => metrics.ReadBucketsAsync(
            new MetricSeriesKey(slo.Function, MetricSeriesKey.Any, slo.Alias ?? MetricSeriesKey.Any, metric, ""), period, since, now, cancellationToken);
        if (slo.Kind == SloKind.Latency)
        {
            return SloCounting.Latency(await Read(MetricNames.Duration).ConfigureAwait(false), slo.LatencyThreshold ?? TimeSpan.Zero);
        }

        return SloCounting.Availability(await Read(MetricNames.Invocations).ConfigureAwait(false), await Read(MetricNames.Errors).ConfigureAwait(false));
    }
}
