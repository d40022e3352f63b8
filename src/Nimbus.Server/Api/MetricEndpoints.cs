using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Logs;
using Nimbus.Core.Metrics;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Api;

/// <summary>Stored metric series, and a function's cold-start and cost summary.</summary>
public static class MetricEndpoints
{
    public static readonly TimeSpan DefaultSummaryWindow = TimeSpan.FromHours(1);

    private static readonly string[] s_summaryMetrics =
        [MetricNames.Invocations, MetricNames.Errors, MetricNames.Throttles, MetricNames.ColdStarts, MetricNames.InitDuration, MetricNames.Duration, MetricNames.GbSeconds];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/metrics", QueryAsync);
        api.MapGet("/functions/{name}/metrics/summary", SummaryAsync);
    }

    private static async Task<Results<Ok<MetricsResponse>, ProblemHttpResult>> QueryAsync(
        string? function, string? version, string? alias, string? metric, string? dimension, string? statistic, string? period, string? since, string? until,
        INimbusStore store, SqliteObservabilityStore metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!MetricQueryParser.TryParse(function, version, alias, metric, dimension, statistic, period, since, until, time.GetUtcNow(), out var queries, out var error))
        {
            return ApiProblems.BadRequest($"Invalid '{error.Parameter}'", error.Message);
        }

        if (await store.GetFunctionAsync(function!, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(function!);
        }

        var series = new List<MetricSeries>(queries.Count);
        foreach (var query in queries)
        {
            var source = MetricPeriods.SourceFor(query.PeriodSeconds);
            var buckets = await metrics.ReadBucketsAsync(query.Key, source, query.Since, query.Until, cancellationToken);
            series.Add(MetricSeriesBuilder.Build(query, buckets));
        }

        return TypedResults.Ok(new MetricsResponse(queries[0].Since, queries[0].Until, series));
    }

    private static async Task<Results<Ok<FunctionMetricsSummary>, ProblemHttpResult>> SummaryAsync(
        string name, string? since, string? pricePerGbSecond, INimbusStore store, SqliteObservabilityStore metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - DefaultSummaryWindow;
        if (since is not null && (!TimeExpression.TryParseInstant(since, now, out from) || from >= now))
        {
            return ApiProblems.BadRequest("Invalid 'since'", $"'{since}' is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time in the past");
        }

        var price = InvocationCost.DefaultPricePerGbSecond;
        if (pricePerGbSecond is not null
            && (!double.TryParse(pricePerGbSecond, NumberStyles.Float, CultureInfo.InvariantCulture, out price) || price < 0 || !double.IsFinite(price)))
        {
            return ApiProblems.BadRequest("Invalid 'pricePerGbSecond'", $"'{pricePerGbSecond}' is not a non-negative number (dollars per GB-second, e.g. 0.0000166667)");
        }

        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        // Minute buckets are kept 15 days; older windows read hours.
        var period = now - from <= MetricPeriods.Retention(MetricPeriods.OneMinute) ? MetricPeriods.OneMinute : MetricPeriods.OneHour;
        async Task<VersionMetricsSummary> SummariseAsync(string version)
        {
            var totals = new Dictionary<string, MetricStatistics?>();
            foreach (var metric in s_summaryMetrics)
            {
                var key = new MetricSeriesKey(name, version, MetricSeriesKey.Any, metric, "");
                totals[metric] = MetricSeriesBuilder.Total(await metrics.ReadBucketsAsync(key, period, from, now, cancellationToken));
            }

            return VersionMetricsSummary.From(version == MetricSeriesKey.Any ? null : version, m => totals.GetValueOrDefault(m), now - from, price);
        }

        var total = await SummariseAsync(MetricSeriesKey.Any);
        var versions = new List<VersionMetricsSummary>();
        foreach (var version in (await metrics.ListVersionsAsync(name, MetricNames.Invocations, period, from, now, cancellationToken)).Order(StringComparer.Ordinal))
        {
            versions.Add(await SummariseAsync(version));
        }

        return TypedResults.Ok(new FunctionMetricsSummary(name, from, now, price, total, versions));
    }
}
