using System.Net;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Tracing;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>The real CLI against a real server: <c>nimbus traces list|get</c> and <c>nimbus logs --trace</c>.</summary>
public sealed class TracesCliTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public TracesCliTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) =>
        CliInProcess.RunAsync([.. args, "--url", _nimbus.Server.BaseAddress.ToString()]);

    [Fact]
    public async Task TracesListGet_AndLogsByTrace_ShowTheInvocationOfThatTraceOnly()
    {
        await _nimbus.DeployNodeAsync("cli-traced");
        var traceId = TraceContext.NewSpanId() + TraceContext.NewSpanId();
        var requestId = await InvokeAsync(traceId);
        var otherRequest = await InvokeAsync(TraceContext.NewSpanId() + TraceContext.NewSpanId());

        // Spans and logs are stored in batches: wait until the trace's spans are there.
        (int Exit, string Out, string Error) get = default;
        var stored = await NimbusTestServer.EventuallyAsync(async () =>
        {
            get = await RunAsync("traces", "get", traceId, "--output", "json");
            return get.Exit == 0 && get.Out.Contains(SpanNames.Execute, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15));
        Assert.True(stored, $"traces get never showed the trace: {get.Exit} {get.Error}");

        using var spans = JsonDocument.Parse(get.Out!);
        var invocation = spans.RootElement.EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "Server");
        Assert.Equal(traceId, invocation.GetProperty("traceId").GetString());
        Assert.Equal("cli-traced", invocation.GetProperty("name").GetString());
        var execute = spans.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == SpanNames.Execute);
        Assert.Equal(invocation.GetProperty("spanId").GetString(), execute.GetProperty("parentSpanId").GetString());

        var waterfall = await RunAsync("traces", "get", traceId);
        Assert.Equal(0, waterfall.Exit);
        Assert.Contains("cli-traced", waterfall.Out, StringComparison.Ordinal);
        Assert.Contains(SpanNames.Execute, waterfall.Out, StringComparison.Ordinal);

        var list = await RunAsync("traces", "list", "cli-traced", "--output", "json");
        Assert.Equal(0, list.Exit);
        using var traces = JsonDocument.Parse(list.Out);
        Assert.Contains(traces.RootElement.EnumerateArray(), t => t.GetProperty("traceId").GetString() == traceId);

        var logs = await LogsEventuallyAsync(traceId, requestId);
        Assert.Contains($"START RequestId: {requestId}", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(otherRequest, logs, StringComparison.Ordinal);

        var badTrace = await RunAsync("logs", "cli-traced", "--trace", "not-a-trace");
        Assert.NotEqual(0, badTrace.Exit);
        Assert.Contains("--trace", badTrace.Error, StringComparison.Ordinal);
        var unknown = await RunAsync("traces", "get", new string('0', 31) + "1");
        Assert.NotEqual(0, unknown.Exit);
        Assert.Single(unknown.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task LogApi_WithAMalformedTraceId_IsProblemDetails()
    {
        await _nimbus.DeployNodeAsync("cli-traced-bad");
        var response = await _nimbus.Client.GetAsync("/api/v1/functions/cli-traced-bad/logs?traceId=xyz");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> LogsEventuallyAsync(string traceId, string requestId)
    {
        var text = "";
        await NimbusTestServer.EventuallyAsync(async () =>
        {
            text = (await RunAsync("logs", "cli-traced", "--trace", traceId)).Out;
            return text.Contains($"REPORT RequestId: {requestId}", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15));
        return text;
    }

    private async Task<string> InvokeAsync(string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/cli-traced/invoke")
        {
            Content = new StringContent("""{"action":"echo"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{TraceContext.NewSpanId()}-01");
        var response = await _nimbus.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Nimbus-Request-Id").Single();
    }
}
