using System.Text.Json;
using Nimbus.Cli.Tests.Support;
using Nimbus.Core.Errors;
using Nimbus.Core.Metrics;

namespace Nimbus.Cli.Tests.Commands;

/// <summary><c>metrics</c>, <c>errors</c> and <c>errors show</c> against canned API answers.</summary>
public sealed class ObservabilityCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Since = new(2026, 12, 1, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = Since.AddMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private StubApiServer _stub = null!;

    private string Url => _stub.BaseAddress.ToString();

    public async Task InitializeAsync() => _stub = await StubApiServer.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync([.. args, "--url", Url]);

    private static string Query(RecordedRequest request, string key) =>
        Uri.UnescapeDataString(request.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == key)?[1] ?? "");

    private static MetricsResponse Answer(RecordedRequest request)
    {
        var statistic = Query(request, "statistic");
        var series = Query(request, "metric").Split(',').Select(metric => new MetricSeries("orders", null, null, metric, null, statistic, 60,
            MetricNames.Unit(metric),
            [Since, Since.AddMinutes(1), Since.AddMinutes(3)],
            metric == MetricNames.Invocations ? [2, 8, 4] : [1, 1, 1])).ToList();
        return new MetricsResponse(Since, Until, series);
    }

    private static readonly FunctionMetricsSummary Summary = new("orders", Since, Until, InvocationCost.DefaultPricePerGbSecond,
        new VersionMetricsSummary(null, 14, 2, 0, 1, 1 / 14.0, 200, 210, 220, 10, 20, 30, 40, 0.5, 0.36),
        [new VersionMetricsSummary("3", 14, 2, 0, 1, 1 / 14.0, 200, 210, 220, 10, 20, 30, 40, 0.5, 0.36)]);

    private void StubMetrics()
    {
        _stub.On("GET", "/api/v1/metrics", r => new StubResponse(200, JsonSerializer.Serialize(Answer(r), Json)));
        _stub.On("GET", "/api/v1/functions/orders/metrics/summary", 200, JsonSerializer.Serialize(Summary, Json));
    }

    [Fact]
    public async Task Metrics_PrintsEachMetricWithLatestPeakAndSparkline_ThenColdStartsAndCost()
    {
        StubMetrics();

        var run = await Run("metrics", "orders", "--since", "5m", "--period", "1m");

        Assert.Equal(0, run.ExitCode);
        // Five one-minute periods; minutes 2 and 4 had no invocations, so the sum there is 0 (a gap for averages).
        Assert.Contains("invocations           Sum             0       8  ▃█▁▅▁\n", run.Out);
        Assert.Contains("duration              p99          1 ms    1 ms  ██ █\n", run.Out);
        Assert.Contains("all", run.Out);
        Assert.Contains("1 (7.14 %)", run.Out);
        Assert.Contains("200/210/220 ms", run.Out);
        Assert.Contains("$0.36", run.Out);
        var metricRequests = _stub.Requests.Where(r => r.Path == "/api/v1/metrics").ToList();
        Assert.All(metricRequests, r => Assert.Equal("5m", Query(r, "since")));
        Assert.Contains(metricRequests, r => Query(r, "statistic") == "p99" && Query(r, "metric") == "duration");
    }

    [Fact]
    public async Task Metrics_JsonOutput_HasTheSummaryAndEverySeries()
    {
        StubMetrics();

        var run = await Run("metrics", "orders", "--output", "json");

        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(14, document.RootElement.GetProperty("summary").GetProperty("total").GetProperty("invocations").GetInt32());
        Assert.Equal(11, document.RootElement.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public async Task Metrics_WithPrice_PassesItToTheSummary()
    {
        StubMetrics();

        await Run("metrics", "orders", "--price-per-gb-second", "0.0000133334");

        Assert.Equal("0.0000133334", Query(_stub.Requests.Single(r => r.Path.EndsWith("/summary", StringComparison.Ordinal)), "pricePerGbSecond"));
    }

    [Fact]
    public async Task Metrics_NegativePrice_IsAUsageErrorWithoutARequest()
    {
        var run = await Run("metrics", "orders", "--price-per-gb-second", "-1");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus: invalid value '-1' for --price-per-gb-second", run.Error);
        Assert.Empty(_stub.Requests);
    }

    private static ErrorGroupInfo Group(long id) => new(id, "orders", "9f8e7d6c5b4a3921", "TypeError", "Cannot read properties of undefined", 12,
        Since, Until, "3", "req-1", "trace-1", ["at handler (/app/index.js:10:5)"],
        [new ErrorVersionCount("3", 9, Since, Since.AddMinutes(1)), new ErrorVersionCount("4", 3, Since.AddMinutes(2), Until)]);

    [Fact]
    public async Task Errors_ListsGroupsWithCountsAndTheVersionTheyAppearedIn()
    {
        _stub.On("GET", "/api/v1/functions/orders/errors", 200, JsonSerializer.Serialize(new[] { Group(7) }, Json));

        var run = await Run("errors", "orders");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "ID  TYPE       COUNT  FIRST SEEN            LAST SEEN             NEW IN  MESSAGE\n" +
            " 7  TypeError     12  2026-12-01 11:00:00Z  2026-12-01 11:05:00Z  3       Cannot read properties of undefined\n",
            run.Out);
    }

    [Fact]
    public async Task Errors_JsonOutput_HasFingerprintTypeMessageCountAndTimes()
    {
        _stub.On("GET", "/api/v1/functions/orders/errors", 200, JsonSerializer.Serialize(new[] { Group(7) }, Json));

        var run = await Run("errors", "orders", "--output", "json");

        var group = JsonDocument.Parse(run.Out).RootElement[0];
        Assert.Equal("9f8e7d6c5b4a3921", group.GetProperty("fingerprint").GetString());
        Assert.Equal("TypeError", group.GetProperty("errorType").GetString());
        Assert.Equal("Cannot read properties of undefined", group.GetProperty("message").GetString());
        Assert.Equal(12, group.GetProperty("count").GetInt32());
        Assert.Equal(Since, group.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.Equal(Until, group.GetProperty("lastSeen").GetDateTimeOffset());
    }

    [Fact]
    public async Task ErrorsShow_PrintsVersionsSampleAndStackTrace()
    {
        _stub.On("GET", "/api/v1/errors/7", 200, JsonSerializer.Serialize(Group(7), Json));

        var run = await Run("errors", "show", "7");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("first seen      2026-12-01 11:00:00Z (version 3)\n", run.Out);
        Assert.Contains("version 4       3  (2026-12-01 11:02:00Z to 2026-12-01 11:05:00Z)\n", run.Out);
        Assert.Contains("sample request  req-1\n", run.Out);
        Assert.EndsWith("stack trace (latest occurrence):\n  at handler (/app/index.js:10:5)\n", run.Out);
    }

    [Fact]
    public async Task ErrorsShow_NonNumericId_IsAUsageError()
    {
        var run = await Run("errors", "show", "abc");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nimbus: invalid value 'abc' for ID", run.Error);
        Assert.Empty(_stub.Requests);
    }
}
