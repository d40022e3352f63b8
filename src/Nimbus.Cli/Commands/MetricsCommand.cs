using System.Globalization;
using Nimbus.Cli.Arguments;
using Nimbus.Cli.Output;
using Nimbus.Core.Metrics;

namespace Nimbus.Cli.Commands;

internal static class MetricsCommand
{
    public static readonly OptionSpec Price = new("price-per-gb-second", null, "USD",
        "Price of one GB-second for the cost estimate (default 0.0000166667, Lambda x86)");

    public static readonly CommandSpec Spec = new(
        "metrics",
        "Show a function's metrics with a sparkline each, its cold starts and its cost",
        [new ArgumentSpec("NAME", "Function name")],
        [
            new OptionSpec("since", "s", "WHEN", "From a duration ago (30m, 1h, 2d) or an ISO-8601 time (default 1h)"),
            new OptionSpec("period", "p", "PERIOD", "Bucket size, a multiple of 10s: 10s, 1m, 5m, 1h (default 1m)"),
            new OptionSpec("version", null, "VERSION", "Only this version ($LATEST, 3)"),
            new OptionSpec("alias", null, "ALIAS", "Only invocations through this alias"),
            Price,
            CommonOptions.Output,
            CommonOptions.Url,
        ],
        RunAsync);

    /// <summary>What the table shows of each metric, grouped by statistic (one API call per statistic).</summary>
    private static readonly (string Statistic, string[] Metrics)[] s_rows =
    [
        ("Sum", [MetricNames.Invocations, MetricNames.Errors, MetricNames.Throttles, MetricNames.ColdStarts]),
        ("Average", [MetricNames.Duration, MetricNames.InitDuration]),
        ("p99", [MetricNames.Duration]),
        ("Maximum", [MetricNames.ConcurrentExecutions, MetricNames.MaxMemoryUsed]),
        ("Sum", [MetricNames.BilledDuration, MetricNames.GbSeconds]),
    ];

    private static readonly string[] s_order =
    [
        MetricNames.Invocations, MetricNames.Errors, MetricNames.Throttles, MetricNames.Duration, MetricNames.InitDuration, MetricNames.ColdStarts,
        MetricNames.ConcurrentExecutions, MetricNames.MaxMemoryUsed, MetricNames.BilledDuration, MetricNames.GbSeconds,
    ];

    public static double? ParsePrice(ParsedCommand command)
    {
        var text = command.Option(Price.Name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && price >= 0 && double.IsFinite(price)
            ? price
            : throw command.Invalid("--" + Price.Name, text, "expected a non-negative number of dollars, e.g. 0.0000166667");
    }

    private static async Task<int> RunAsync(ParsedCommand command, CliContext context, CancellationToken cancellationToken)
    {
        var output = command.Output;
        var name = command.Argument("NAME");
        var price = ParsePrice(command);
        var since = command.Option("since") ?? "1h";
        using var api = context.CreateClient(command);
        var series = new List<MetricSeries>();
        MetricsResponse? last = null;
        foreach (var (statistic, metrics) in s_rows.GroupBy(r => r.Statistic).Select(g => (g.Key, g.SelectMany(r => r.Metrics).ToArray())))
        {
            last = await api.GetMetricsAsync(new Dictionary<string, string?>
            {
                ["function"] = name,
                ["metric"] = string.Join(',', metrics),
                ["statistic"] = statistic,
                ["period"] = command.Option("period"),
                ["since"] = since,
                ["version"] = command.Option("version"),
                ["alias"] = command.Option("alias"),
            }, cancellationToken);
            series.AddRange(last.Series);
        }

        var summary = await api.GetMetricsSummaryAsync(name, since, price, cancellationToken);
        series = [.. series.OrderBy(s => Array.IndexOf(s_order, s.Metric))];
        if (output == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, new { summary, series });
            return ExitCodes.Success;
        }

        var period = series.Count > 0 ? series[0].PeriodSeconds : MetricPeriods.OneMinute;
        context.Out.WriteLine($"{name}  {Formats.ShortTime(last!.Since)} to {Formats.ShortTime(last.Until)}, {PeriodText(period)} periods"
            + (command.Option("version") is { } v ? $", version {v}" : "") + (command.Option("alias") is { } a ? $", alias {a}" : ""));
        var table = new Table("METRIC", "STATISTIC", "LATEST", "PEAK", "TREND").AlignRight(2, 3);
        foreach (var s in series)
        {
            var values = Axis(s, last.Since, last.Until);
            var present = values.Where(x => x is not null).Select(x => x!.Value).ToList();
            table.AddRow(s.Metric, s.Statistic,
                present.Count == 0 ? "-" : WithUnit(present[^1], s.Unit),
                present.Count == 0 ? "-" : WithUnit(present.Max(), s.Unit),
                Sparkline.Render(values));
        }

        table.WriteTo(context.Out);
        context.Out.WriteLine();
        WriteSummary(context.Out, summary);
        return ExitCodes.Success;
    }

    /// <summary>Cold starts and cost per version over the window, as <c>metrics</c> and <c>functions get</c> print them.</summary>
    public static void WriteSummary(TextWriter output, FunctionMetricsSummary summary)
    {
        var table = new Table("VERSION", "INVOCATIONS", "ERRORS", "COLD STARTS", "INIT p50/p90/p99", "DURATION p50/p90/p99", "GB-SECONDS", "MONTHLY COST")
            .AlignRight(1, 2, 5, 6);
        foreach (var row in summary.Versions.Prepend(summary.Total))
        {
            table.AddRow(
                row.Version ?? "all",
                Formats.Integer(row.Invocations),
                Formats.Integer(row.Errors),
                $"{Formats.Integer(row.ColdStarts)} ({Formats.Number(row.ColdStartRatio * 100)} %)",
                Percentiles(row.InitDurationP50, row.InitDurationP90, row.InitDurationP99),
                Percentiles(row.DurationP50, row.DurationP90, row.DurationP99),
                Compact(row.GbSeconds),
                "$" + Money(row.EstimatedMonthlyCost));
        }

        table.WriteTo(output);
        output.WriteLine($"Monthly cost: the GB-seconds rate of this window over 30 days at ${summary.PricePerGbSecond.ToString("0.##########", CultureInfo.InvariantCulture)} per GB-second.");
    }

    /// <summary>One value per period from since to until; a period without data is 0 for sums and counts, a gap otherwise.</summary>
    private static List<double?> Axis(MetricSeries series, DateTimeOffset since, DateTimeOffset until)
    {
        var size = series.PeriodSeconds * 1000L;
        var byStart = series.Timestamps.Zip(series.Values).ToDictionary(p => p.First.ToUnixTimeMilliseconds(), p => p.Second);
        var zero = series.Statistic is "Sum" or "SampleCount" ? 0d : (double?)null;
        var values = new List<double?>();
        for (var start = since.ToUnixTimeMilliseconds() / size * size; start < until.ToUnixTimeMilliseconds(); start += size)
        {
            values.Add(byStart.TryGetValue(start, out var value) ? value : zero);
        }

        return values;
    }

    private static string Percentiles(double? p50, double? p90, double? p99) =>
        p50 is null ? "-" : $"{Formats.Number(p50.Value)}/{Formats.Number(p90!.Value)}/{Formats.Number(p99!.Value)} ms";

    private static string WithUnit(double value, string unit) => unit switch
    {
        "Milliseconds" => Compact(value) + " ms",
        "Megabytes" => Compact(value) + " MB",
        "GB-Seconds" => Compact(value) + " GB-s",
        _ => Compact(value),
    };

    private static string Compact(double value) =>
        value != 0 && Math.Abs(value) < 0.01 ? value.ToString("0.###E+0", CultureInfo.InvariantCulture) : Formats.Number(value);

    private static string Money(double value) => value.ToString(value < 1 ? "0.####" : "0.00", CultureInfo.InvariantCulture);

    private static string PeriodText(int seconds) =>
        seconds % 3600 == 0 ? $"{seconds / 3600}h" : seconds % 60 == 0 ? $"{seconds / 60}m" : $"{seconds}s";
}
