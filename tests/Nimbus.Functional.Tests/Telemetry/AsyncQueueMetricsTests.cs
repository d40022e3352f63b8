using System.Net;
using System.Net.Http.Json;
using System.Text;
using Nimbus.Core.Events;
using Nimbus.Core.Metrics;
using Nimbus.Functional.Tests.Events;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>
/// Async queue metrics from a real queue and real workers: a failing event is retried once then dead-lettered
/// (<c>retries</c>, <c>deadLettered</c>); events waiting behind a busy instance show in <c>asyncQueueDepth</c> and
/// <c>asyncEventAge</c>; all of them as Prometheus series too.
/// </summary>
public sealed class AsyncQueueMetricsTests : IClassFixture<SharedServer>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly NimbusTestServer _nimbus;

    public AsyncQueueMetricsTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task RetriesDeadLettersDepthAndAge_AreStoredMetricsAndPrometheusSeries()
    {
        await RecorderFunction.DeployAsync(_nimbus.Client, "aq-fail", new AsyncConfig { MaximumRetryAttempts = 1, RetryDelaysSeconds = [1] }, fail: true);
        await RecorderFunction.DeployAsync(_nimbus.Client, "aq-slow", new AsyncConfig { MaximumRetryAttempts = 0 }, reserved: 1);
        Assert.Equal(HttpStatusCode.Accepted, (await PostEventAsync("aq-fail", """{"tag":"f"}""")).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostEventAsync("aq-slow", """{"sleepMs":12000}""")).StatusCode);
        }

        MetricsResponse fail = null!;
        MetricsResponse slow = null!;
        var arrived = await NimbusTestServer.EventuallyAsync(async () =>
        {
            fail = await MetricsAsync("aq-fail", $"{MetricNames.Retries},{MetricNames.DeadLettered}", "Sum");
            slow = await MetricsAsync("aq-slow", $"{MetricNames.AsyncQueueDepth},{MetricNames.AsyncEventAge}", "Maximum");
            return Total(fail, MetricNames.DeadLettered) >= 1 && Max(slow, MetricNames.AsyncQueueDepth) >= 2;
        }, s_wait);

        Assert.True(arrived, $"async metrics never arrived: deadLettered {Total(fail, MetricNames.DeadLettered)}, depth {Max(slow, MetricNames.AsyncQueueDepth)}");
        Assert.Equal(1, Total(fail, MetricNames.Retries));
        Assert.Equal(1, Total(fail, MetricNames.DeadLettered));
        Assert.InRange(Max(slow, MetricNames.AsyncQueueDepth), 2, 3);
        Assert.True(Max(slow, MetricNames.AsyncEventAge) > 0, "the oldest event has an age");

        var scrape = await _nimbus.Client.GetStringAsync("/metrics");
        Assert.Contains("nimbus_async_retries_total{function=\"aq-fail\"} 1\n", scrape, StringComparison.Ordinal);
        Assert.Contains("nimbus_async_dead_lettered_total{function=\"aq-fail\"} 1\n", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE nimbus_async_queue_depth gauge", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE nimbus_async_event_age_seconds gauge", scrape, StringComparison.Ordinal);
    }

    private async Task<MetricsResponse> MetricsAsync(string function, string metrics, string statistic) =>
        (await _nimbus.Client.GetFromJsonAsync<MetricsResponse>(
            $"/api/v1/metrics?function={function}&metric={metrics}&statistic={statistic}&period=1h&since=2h", NimbusTestServer.Json))!;

    private static double Total(MetricsResponse response, string metric) =>
        response.Series.Where(s => s.Metric == metric).SelectMany(s => s.Values).Sum();

    private static double Max(MetricsResponse response, string metric) =>
        response.Series.Where(s => s.Metric == metric).SelectMany(s => s.Values).DefaultIfEmpty(0).Max();

    private async Task<HttpResponseMessage> PostEventAsync(string name, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/functions/{name}/invoke")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        return await _nimbus.Client.SendAsync(request);
    }
}
