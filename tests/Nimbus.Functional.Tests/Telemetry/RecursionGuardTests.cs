using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Core.Tracing;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Telemetry;

/// <summary>
/// A real function that calls itself through <c>AWS_ENDPOINT_URL_LAMBDA</c> (Lambda's invoke API, Event, forwarding
/// X-Amzn-Trace-Id as the AWS SDKs do): the recursion guard stops the chain at 16 hops and the dropped event goes to
/// the dead-letter queue; every hop is a span of one trace, each invocation the child of its caller's enqueue.
/// </summary>
public sealed class RecursionGuardTests : IClassFixture<SharedServer>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);
    private readonly NimbusTestServer _nimbus;

    public RecursionGuardTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Fact]
    public async Task SelfInvokingFunction_IsStoppedAfter16Hops_DeadLetteredAsRecursiveInvocationDropped_InOneTrace()
    {
        var recordFile = SharedScratch.NewFile("nimbus-recursion");
        await _nimbus.DeployAsync("loop-self", RepoPaths.Fixture("provided-self-invoke"), new FunctionConfigRequest
        {
            Runtime = "provided",
            Handler = "bootstrap",
            TimeoutSeconds = 10,
            Environment = new Dictionary<string, string> { ["RECORD_FILE"] = recordFile },
            Policy = [new("function:invoke", "loop-self")],
        });

        var first = await _nimbus.InvokeAsync("loop-self", new { start = true });
        Assert.True(first.Status == System.Net.HttpStatusCode.OK, first.ToString());

        DeadLetterInfo[] letters = [];
        var dropped = await NimbusTestServer.EventuallyAsync(async () =>
        {
            letters = await _nimbus.Client.GetFromJsonAsync<DeadLetterInfo[]>("/api/v1/functions/loop-self/dlq", NimbusTestServer.Json) ?? [];
            return letters.Length > 0;
        }, s_wait);
        Assert.True(dropped, "no dead letter appeared: the chain was not stopped");

        var letter = Assert.Single(letters);
        Assert.Equal(RecursionGuard.ErrorType, letter.Condition);
        var lines = (await File.ReadAllLinesAsync(recordFile)).Where(l => l.Length > 0).ToArray();
        // The sync call (hop 0) and 16 hops ran; the 17th hop was stopped before it ran.
        Assert.Equal(1 + RecursionGuard.MaxHops, lines.Length);
        var traceIds = lines.Select(l => XRayHeader.TryParse(l.Split(' ')[1], out var x) ? x.TraceId : "unparsed").Distinct().ToArray();
        var traceId = Assert.Single(traceIds);
        Assert.Equal(traceId, letter.TraceId);
        Assert.Equal(Enumerable.Range(0, RecursionGuard.MaxHops + 1).ToArray(),
            lines.Select(l => XRayHeader.TryParse(l.Split(' ')[1], out var x) ? x.Hops ?? -1 : -1).ToArray());

        // The spans: every invocation's Server span, each (after the first) the child of the enqueue its caller made.
        TraceDetail? trace = null;
        var complete = await NimbusTestServer.EventuallyAsync(async () =>
        {
            trace = await _nimbus.Client.GetFromJsonAsync<TraceDetail>($"/api/v1/traces/{traceId}", NimbusTestServer.Json);
            return trace!.Spans.Count(s => s.Kind == "Server" && s.Name == "loop-self") >= RecursionGuard.MaxHops + 1;
        }, TimeSpan.FromSeconds(15));
        Assert.True(complete, $"trace {traceId} has {trace?.Spans.Count(s => s.Kind == "Server")} invocation spans, expected {RecursionGuard.MaxHops + 1}");
        var byId = trace!.Spans.ToDictionary(s => s.SpanId);
        var invocations = trace.Spans.Where(s => s.Kind == "Server" && s.Name == "loop-self").ToArray();
        Assert.Single(invocations, s => s.ParentSpanId is null);
        foreach (var invocation in invocations.Where(s => s.ParentSpanId is not null))
        {
            var parent = byId[invocation.ParentSpanId!];
            Assert.Equal(SpanNames.Enqueue, parent.Name);
            Assert.Equal("Server", byId[parent.ParentSpanId!].Kind);
        }

        Assert.Contains(trace.Spans, s => s.Name == SpanNames.Execute);
    }
}
