using System.Net;
using System.Net.Http.Json;
using Nimbus.Cli;
using Nimbus.Core.Errors;
using Nimbus.Core.Metrics;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>Real server, real node workers: invocations become metrics, error groups and Prometheus series.</summary>
public sealed class ObservabilityTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public ObservabilityTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private async Task<MetricsResponse> MetricsAsync(string query)
    {
        var response = await _nimbus.Client.GetAsync("/api/v1/metrics?" + query);
        await NimbusTestServer.EnsureSuccessAsync(response, "GET metrics " + query);
        return (await response.Content.ReadFromJsonAsync<MetricsResponse>(NimbusTestServer.Json))!;
    }

    private static double Total(MetricsResponse response, string metric) => response.Series.Single(s => s.Metric == metric).Values.Sum();

    [Fact]
    public async Task Invoke_SuccessesAndErrors_ShowExactCountsInMetricsAndOneErrorGroup()
    {
        await _nimbus.DeployNodeAsync("obs-mix", memoryMb: 256);
        for (var i = 0; i < 3; i++)
        {
            var ok = await _nimbus.InvokeAsync("obs-mix", new { action = "echo", i });
            Assert.Equal(i == 0, ok.ColdStart);
        }

        Assert.Equal("Error", (await _nimbus.InvokeAsync("obs-mix", new { action = "throw", message = "order 41 not found" })).ErrorType);
        Assert.Equal("Error", (await _nimbus.InvokeAsync("obs-mix", new { action = "throw", message = "order 97 not found" })).ErrorType);

        const string query = "function=obs-mix&metric=invocations,errors,coldStarts,throttles&period=1h&since=2h";
        MetricsResponse metrics = null!;
        var arrived = await NimbusTestServer.EventuallyAsync(async () =>
        {
            metrics = await MetricsAsync(query);
            return Total(metrics, MetricNames.Invocations) >= 5;
        }, TimeSpan.FromSeconds(15));

        Assert.True(arrived, "metrics of 5 invocations never arrived");
        Assert.Equal(5, Total(metrics, MetricNames.Invocations));
        Assert.Equal(2, Total(metrics, MetricNames.Errors));
        Assert.Equal(1, Total(metrics, MetricNames.ColdStarts));
        Assert.Equal(0, Total(metrics, MetricNames.Throttles));

        var duration = await MetricsAsync("function=obs-mix&metric=duration&statistic=SampleCount,p99&period=1h&since=2h&version=$LATEST");
        Assert.Equal(5, duration.Series.Single(s => s.Statistic == "SampleCount").Values.Sum());
        Assert.True(duration.Series.Single(s => s.Statistic == "p99").Values.Single() > 0);

        var groups = (await _nimbus.Client.GetFromJsonAsync<ErrorGroupInfo[]>("/api/v1/functions/obs-mix/errors", NimbusTestServer.Json))!;
        var group = Assert.Single(groups);
        Assert.Equal("Error", group.ErrorType);
        Assert.Equal(2, group.Count);
        Assert.Equal("$LATEST", group.FirstVersion);
        Assert.Contains(group.Message, new[] { "order 41 not found", "order 97 not found" });
        Assert.NotEmpty(group.StackTrace);
        var byId = (await _nimbus.Client.GetFromJsonAsync<ErrorGroupInfo>($"/api/v1/errors/{group.Id}", NimbusTestServer.Json))!;
        Assert.Equal(group.Fingerprint, byId.Fingerprint);

        var summary = (await _nimbus.Client.GetFromJsonAsync<FunctionMetricsSummary>("/api/v1/functions/obs-mix/metrics/summary?since=2h", NimbusTestServer.Json))!;
        Assert.Equal(5, summary.Total.Invocations);
        Assert.Equal(1, summary.Total.ColdStarts);
        Assert.Equal(0.2, summary.Total.ColdStartRatio, 10);
        Assert.NotNull(summary.Total.InitDurationP50);
        Assert.True(summary.Total.GbSeconds > 0);
        Assert.Equal("$LATEST", Assert.Single(summary.Versions).Version);
    }

    private async Task<(int Exit, string Out, string Error)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, OutStream = Stream.Null, Error = error, WorkingDirectory = RepoPaths.Root };
        var exit = await CliApp.RunAsync([.. args, "--url", _nimbus.Server.BaseAddress.ToString()], context, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Cli_AfterInvokes_MetricsErrorsAndFunctionsGetShowColdStartsAndGroups()
    {
        await _nimbus.DeployNodeAsync("obs-cli");
        await _nimbus.InvokeAsync("obs-cli", new { action = "echo" });
        await _nimbus.InvokeAsync("obs-cli", new { action = "echo" });
        await _nimbus.InvokeAsync("obs-cli", new { action = "throw", message = "card declined" });
        Assert.True(await NimbusTestServer.EventuallyAsync(
            async () => Total(await MetricsAsync("function=obs-cli&metric=invocations&period=1h&since=2h"), MetricNames.Invocations) == 3,
            TimeSpan.FromSeconds(15)), "metrics of 3 invocations never arrived");
        Assert.True(await NimbusTestServer.EventuallyAsync(
            async () => (await _nimbus.Client.GetStringAsync("/api/v1/functions/obs-cli/errors")).Contains("card declined", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15)), "the error group never arrived");

        var metrics = await CliAsync("metrics", "obs-cli", "--since", "1h");
        Assert.True(metrics.Exit == 0, metrics.Error);
        Assert.Matches(@"\ninvocations +Sum +\d+ +3 +[▁▂▃▄▅▆▇█ ]*█", metrics.Out);
        Assert.Matches(@"\nall +3 +1 +1 \(33\.33 %\)", metrics.Out);
        Assert.Matches(@"\n\$LATEST +3 +1 +1 \(33\.33 %\)", metrics.Out);

        var errors = await CliAsync("errors", "obs-cli", "--output", "json");
        Assert.True(errors.Exit == 0, errors.Error);
        var group = System.Text.Json.JsonDocument.Parse(errors.Out).RootElement.EnumerateArray().Single();
        Assert.Equal("Error", group.GetProperty("errorType").GetString());
        Assert.Equal("card declined", group.GetProperty("message").GetString());
        Assert.Equal(1, group.GetProperty("count").GetInt32());

        var show = await CliAsync("errors", "show", group.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(show.Exit == 0, show.Error);
        Assert.Contains("version $LATEST", show.Out, StringComparison.Ordinal);
        Assert.Contains("stack trace (latest occurrence):", show.Out, StringComparison.Ordinal);

        var get = await CliAsync("functions", "get", "obs-cli");
        Assert.True(get.Exit == 0, get.Error);
        Assert.Matches(@"\nall +3 +1 +1 \(33\.33 %\) +\d", get.Out);
    }

    [Fact]
    public async Task Invoke_FunctionWritingEmbeddedMetricFormat_BecomesACustomMetricWithItsDimension()
    {
        await _nimbus.DeployAsync("obs-emf", RepoPaths.Fixture("emf-node"), new Nimbus.Core.Api.FunctionConfigRequest { Runtime = "node", Handler = "index.handler" });
        foreach (var value in new[] { 10, 20, 12.5 })
        {
            Assert.Null((await _nimbus.InvokeAsync("obs-emf", new { value })).FunctionError);
        }

        MetricsResponse metrics = null!;
        var arrived = await NimbusTestServer.EventuallyAsync(async () =>
        {
            metrics = await MetricsAsync("function=obs-emf&metric=Orders/OrderValue&statistic=Sum,SampleCount,Maximum&period=1h&since=2h&dimension=service=checkout");
            return metrics.Series.Single(s => s.Statistic == "SampleCount").Values.Sum() >= 3;
        }, TimeSpan.FromSeconds(15));

        Assert.True(arrived, "the custom metric never arrived");
        Assert.Equal(3, metrics.Series.Single(s => s.Statistic == "SampleCount").Values.Sum());
        Assert.Equal(42.5, metrics.Series.Single(s => s.Statistic == "Sum").Values.Sum());
        Assert.Equal(20, metrics.Series.Single(s => s.Statistic == "Maximum").Values.Max());
    }

    [Theory]
    [InlineData("function=obs-bad&metric=latency", "metric")]
    [InlineData("function=obs-bad&metric=errors&statistic=p99", "statistic")]
    [InlineData("function=obs-bad&period=7s", "period")]
    [InlineData("function=obs-bad&since=last-week", "since")]
    [InlineData("metric=errors", "function")]
    public async Task Metrics_BadParameter_IsProblemDetailsNamingIt(string query, string parameter)
    {
        var response = await _nimbus.Client.GetAsync("/api/v1/metrics?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"Invalid '{parameter}'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OfUnknownFunction_IsNotFound()
    {
        var response = await _nimbus.Client.GetAsync("/api/v1/metrics?function=obs-nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ErrorGroup_WithBadOrUnknownId_IsProblemDetails()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _nimbus.Client.GetAsync("/api/v1/errors/abc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/errors/999999")).StatusCode);
    }
}
