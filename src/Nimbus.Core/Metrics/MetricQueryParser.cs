using System.Globalization;
using Nimbus.Core.Logs;

namespace Nimbus.Core.Metrics;

/// <summary>Validates the parameters of a metrics query; each problem names the parameter and what is accepted.</summary>
public static class MetricQueryParser
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>At most this many buckets per series, so one query stays cheap.</summary>
    public const int MaxPoints = 1440;

    /// <summary>
    /// Parses one query per metric and statistic asked for. <paramref name="metric"/> and <paramref name="statistic"/> may
    /// list several, comma-separated; no metric means all of them, no statistic means each metric's default (Sum for
    /// counters, Average otherwise).
    /// </summary>
    public static bool TryParse(
        string? function, string? version, string? alias, string? metric, string? dimension, string? statistic, string? period,
        string? since, string? until, DateTimeOffset now, out IReadOnlyList<MetricQuery> queries, out (string Parameter, string Message) error)
    {
        queries = [];
        error = default;
        if (string.IsNullOrWhiteSpace(function))
        {
            error = ("function", "the function name is required (?function=NAME)");
            return false;
        }

        var metrics = Split(metric) ?? [.. MetricNames.All];
        foreach (var name in metrics)
        {
            if (!MetricNames.IsKnown(name) && !MetricNames.IsCustom(name))
            {
                error = ("metric", $"unknown metric '{name}'; known: {string.Join(", ", MetricNames.All)}, or a custom metric as Namespace/Name");
                return false;
            }
        }

        var statistics = new List<MetricStatistic>();
        foreach (var name in Split(statistic) ?? [])
        {
            if (!MetricStatistic.TryParse(name, out var parsed))
            {
                error = ("statistic", $"unknown statistic '{name}'; use Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p50, p90, p99");
                return false;
            }

            statistics.Add(parsed);
        }

        var periodSeconds = MetricPeriods.OneMinute;
        if (period is not null && !TryParsePeriod(period, out periodSeconds))
        {
            error = ("period", $"'{period}' is not a period: use a multiple of 10 seconds such as 10s, 1m, 5m, 1h");
            return false;
        }

        var from = now - DefaultWindow;
        if (since is not null && !TimeExpression.TryParseInstant(since, now, out from))
        {
            error = ("since", $"'{since}' is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time");
            return false;
        }

        var to = now;
        if (until is not null && !TimeExpression.TryParseInstant(until, now, out to))
        {
            error = ("until", $"'{until}' is neither a duration (30s, 10m, 2h, 1d) nor an ISO-8601 time");
            return false;
        }

        if (to <= from)
        {
            error = ("until", "'until' must be later than 'since'");
            return false;
        }

        if ((to - from).TotalSeconds / periodSeconds > MaxPoints)
        {
            error = ("period", $"{(int)Math.Ceiling((to - from).TotalSeconds / periodSeconds)} buckets of {periodSeconds} s between since and until; at most {MaxPoints}: choose a longer period or a shorter window");
            return false;
        }

        if (dimension is not null && !dimension.Contains('=', StringComparison.Ordinal))
        {
            error = ("dimension", $"'{dimension}' is not NAME=VALUE (e.g. outcome=Timeout, errorType=Error, start=cold)");
            return false;
        }

        var list = new List<MetricQuery>();
        foreach (var name in metrics)
        {
            var forMetric = statistics.Count > 0 ? statistics : [MetricNames.IsCounter(name) ? MetricStatistic.Sum : MetricStatistic.Average];
            foreach (var parsed in forMetric)
            {
                if (parsed.IsPercentile && MetricNames.IsCounter(name))
                {
                    error = ("statistic", $"'{name}' counts events (each sample is 0 or 1): percentiles need a measured metric such as duration");
                    return false;
                }

                list.Add(new MetricQuery(function, Blank(version) ?? MetricSeriesKey.Any, Blank(alias) ?? MetricSeriesKey.Any, name,
                    dimension ?? "", parsed, periodSeconds, from, to));
            }
        }

        queries = list;
        return true;
    }

    /// <summary><c>10s</c>, <c>1m</c>, <c>1h</c>, <c>1d</c> or plain seconds; a positive multiple of 10 seconds.</summary>
    public static bool TryParsePeriod(string text, out int seconds)
    {
        seconds = 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            seconds = plain;
        }
        else if (TimeExpression.TryParseDuration(text, out var duration) && duration.TotalSeconds <= int.MaxValue && duration.TotalSeconds % 1 == 0)
        {
            seconds = (int)duration.TotalSeconds;
        }

        return MetricPeriods.IsValid(seconds);
    }

    private static string[]? Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
