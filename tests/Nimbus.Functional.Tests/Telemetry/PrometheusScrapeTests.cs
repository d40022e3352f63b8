using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>A real Prometheus scrapes a real server's <c>/metrics</c> and answers PromQL about a function.</summary>
public sealed class PrometheusScrapeTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public PrometheusScrapeTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task Prometheus_ScrapingNimbus_AnswersTheFunctionsInvocationCount()
    {
        await _nimbus.DeployNodeAsync("prom-count");
        await using var prometheus = await PrometheusServer.StartAsync(_nimbus.Server.BaseAddress, _nimbus.Server.AdminToken);
        const int invocations = 7;
        for (var i = 0; i < invocations; i++)
        {
            await _nimbus.InvokeAsync("prom-count", new { action = i == 0 ? "throw" : "echo", message = "x" });
        }

        double? total = null, errors = null, coldStarts = null;
        var scraped = await NimbusTestServer.EventuallyAsync(async () =>
        {
            total = await prometheus.QueryScalarAsync("sum(nimbus_invocations_total{function=\"prom-count\"})");
            errors = await prometheus.QueryScalarAsync("sum(nimbus_invocations_total{function=\"prom-count\",outcome=\"FunctionError\"})");
            coldStarts = await prometheus.QueryScalarAsync("sum(nimbus_cold_starts_total{function=\"prom-count\"})");
            return total == invocations;
        }, TimeSpan.FromSeconds(60));

        Assert.True(scraped, $"Prometheus answered {total?.ToString() ?? "nothing"} for the invocation count, expected {invocations}; target: {await prometheus.TargetHealthAsync()}");
        Assert.Equal(1, errors);
        Assert.Equal(1, coldStarts);
        var histogramCount = await prometheus.QueryScalarAsync("sum(nimbus_invocation_duration_seconds_count{function=\"prom-count\"})");
        Assert.Equal(invocations, histogramCount);
    }
}
