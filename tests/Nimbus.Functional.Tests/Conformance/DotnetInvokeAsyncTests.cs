using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Tracing;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Conformance;

/// <summary>
/// <c>IFunctionContext.InvokeAsync</c> of the .NET SDK in a real .NET function (behaviours-dotnet) calling a real Node
/// function through <c>AWS_ENDPOINT_URL_LAMBDA</c>: sync and Event, a refusal as <c>FunctionInvokeException</c>, and
/// the callee's spans in the caller's trace, one hop down.
/// </summary>
public sealed class DotnetInvokeAsyncTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public DotnetInvokeAsyncTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task InvokeAsync_CallsAnotherFunction_SyncAndEvent_ContinuingTheTrace()
    {
        await DeployCallerAsync("dn-caller");
        await _nimbus.DeployNodeAsync("dn-callee");
        var traceId = TraceContext.NewSpanId() + TraceContext.NewSpanId();

        using var sync = await CallAsync(traceId, new { action = "invoke", target = "dn-callee", payload = new { action = "echo", n = 7 } });
        using var queued = await CallAsync(traceId, new { action = "invoke", target = "dn-callee", type = "Event", payload = new { action = "echo", n = 8 } });
        using var missing = await CallAsync(traceId, new { action = "invoke", target = "dn-nobody", payload = new { } });

        Assert.Equal(200, sync.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(7, JsonDocument.Parse(sync.RootElement.GetProperty("payload").GetString()!).RootElement.GetProperty("n").GetInt32());
        Assert.Equal(JsonValueKind.Null, sync.RootElement.GetProperty("functionError").ValueKind);
        Assert.Equal("$LATEST", sync.RootElement.GetProperty("executedVersion").GetString());
        Assert.Equal(202, queued.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(404, missing.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("ResourceNotFoundException", missing.RootElement.GetProperty("errorType").GetString());

        // The sync callee's span is the child of the caller's invocation span; the event's attempt hangs off the
        // enqueue span the caller's call made. Both are one hop down.
        TraceContext.TryParse(sync.RootElement.GetProperty("traceParent").GetString(), out _, out var syncCallerSpan, out _);
        TraceContext.TryParse(queued.RootElement.GetProperty("traceParent").GetString(), out _, out var eventCallerSpan, out _);
        TraceDetail? trace = null;
        var complete = await NimbusTestServer.EventuallyAsync(async () =>
        {
            var got = await _nimbus.Client.GetAsync($"/api/v1/traces/{traceId}");
            trace = got.StatusCode == HttpStatusCode.OK ? await got.Content.ReadFromJsonAsync<TraceDetail>(NimbusTestServer.Json) : null;
            return trace is not null && trace.Spans.Count(s => s.Kind == "Server" && s.Name == "dn-callee") == 2;
        }, TimeSpan.FromSeconds(30));
        Assert.True(complete, $"trace {traceId}: {string.Join(", ", trace?.Spans.Select(s => $"{s.Name}({s.Kind})") ?? [])}");
        var callees = trace!.Spans.Where(s => s.Kind == "Server" && s.Name == "dn-callee").ToArray();
        Assert.Contains(callees, s => s.ParentSpanId == syncCallerSpan);
        var enqueue = Assert.Single(trace.Spans, s => s.Name == SpanNames.Enqueue);
        Assert.Equal(eventCallerSpan, enqueue.ParentSpanId);
        Assert.Contains(callees, s => s.ParentSpanId == enqueue.SpanId);
        Assert.All(callees, s => Assert.Equal("1", s.Attributes[SpanNames.Hops]?.ToString()));
    }

    private async Task<JsonDocument> CallAsync(string traceId, object payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/dn-caller/invoke")
        {
            Content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{TraceContext.NewSpanId()}-01");
        var response = await _nimbus.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && !response.Headers.Contains("X-Nimbus-Function-Error"), body);
        return JsonDocument.Parse(body);
    }

    private async Task DeployCallerAsync(string name)
    {
        var put = await _nimbus.Client.PutAsJsonAsync($"/api/v1/functions/{name}",
            new Nimbus.Core.Api.FunctionConfigRequest
            {
                Runtime = "dotnet", Handler = "BehavioursDotnet", TimeoutSeconds = 30, MemoryMb = 256, Policy = [new("function:invoke", "*")],
            }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, $"PUT config of {name}");
        await _nimbus.UploadCodeAsync(name, await DotnetConformanceTests.PackageAsync());
    }
}
