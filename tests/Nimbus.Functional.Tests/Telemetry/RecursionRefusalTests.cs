using System.Net;
using System.Net.Http.Json;
using System.Text;
using Nimbus.Core.Metrics;
using Nimbus.Core.Tracing;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>
/// A sync call already 16 function-to-function hops down its chain is refused before it runs: 508 on the native API,
/// Lambda's 400 <c>RecursiveInvocationException</c> on the Lambda API; each refusal is counted in the stored
/// <c>recursiveInvocationsDropped</c> metric and the <c>nimbus_recursive_invocations_dropped_total</c> series.
/// </summary>
public sealed class RecursionRefusalTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public RecursionRefusalTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task SyncCallPast16Hops_IsRefused_508Native_400Lambda_AndCountedAsMetricAndPrometheusSeries()
    {
        await _nimbus.DeployNodeAsync("rec-refuse");
        var traceId = TraceContext.NewSpanId() + TraceContext.NewSpanId();

        using var native = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/rec-refuse/invoke")
        {
            Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json"),
        };
        native.Headers.Add("traceparent", $"00-{traceId}-{TraceContext.NewSpanId()}-01");
        native.Headers.Add("tracestate", TraceHops.TraceStateValue(RecursionGuard.MaxHops));
        var nativeAnswer = await _nimbus.Client.SendAsync(native);

        using var lambda = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/rec-refuse/invocations")
        {
            Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json"),
        };
        lambda.Headers.Add("X-Amzn-Trace-Id", $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={TraceContext.NewSpanId()};Sampled=1;Lineage={TraceHops.XRayValue(RecursionGuard.MaxHops)}");
        var lambdaAnswer = await _nimbus.Client.SendAsync(lambda);

        // One hop less runs.
        using var allowed = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/rec-refuse/invoke")
        {
            Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json"),
        };
        allowed.Headers.Add("traceparent", $"00-{traceId}-{TraceContext.NewSpanId()}-01");
        allowed.Headers.Add("tracestate", TraceHops.TraceStateValue(RecursionGuard.MaxHops - 1));
        var allowedAnswer = await _nimbus.Client.SendAsync(allowed);

        Assert.Equal((HttpStatusCode)508, nativeAnswer.StatusCode);
        Assert.Equal("application/problem+json", nativeAnswer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, lambdaAnswer.StatusCode);
        Assert.Equal("RecursiveInvocationException", Assert.Single(lambdaAnswer.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Equal(HttpStatusCode.OK, allowedAnswer.StatusCode);

        MetricsResponse? metrics = null;
        var counted = await NimbusTestServer.EventuallyAsync(async () =>
        {
            metrics = await _nimbus.Client.GetFromJsonAsync<MetricsResponse>(
                $"/api/v1/metrics?function=rec-refuse&metric={MetricNames.RecursiveInvocationsDropped}&period=1h&since=2h", NimbusTestServer.Json);
            return metrics!.Series.Sum(s => s.Values.Sum()) >= 2;
        }, TimeSpan.FromSeconds(15));
        Assert.True(counted, "the stored metric never counted the two refusals");
        Assert.Equal(2, metrics!.Series.Single(s => s.Metric == MetricNames.RecursiveInvocationsDropped).Values.Sum());

        var scrape = await _nimbus.Client.GetStringAsync("/metrics");
        Assert.Contains("nimbus_recursive_invocations_dropped_total{function=\"rec-refuse\"} 2\n", scrape, StringComparison.Ordinal);
    }
}
