using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

public sealed class FunctionInvokerTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void CreateRequest_PostsToLambdasInvokeApi_ForwardingTraceContextWithItsHops()
    {
        using var request = FunctionInvoker.CreateRequest(new Uri("http://127.0.0.1:9001"), "orders:live", "{\"a\":1}"u8.ToArray(),
            FunctionInvocationType.Event, TraceParent, "nimbus=hops:2", "Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=b7ad6b7169203331;Sampled=1;Lineage=nimbus:2");

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://127.0.0.1:9001/2015-03-31/functions/orders%3Alive/invocations", request.RequestUri!.AbsoluteUri);
        Assert.Equal("Event", Single(request, "X-Amz-Invocation-Type"));
        Assert.Equal(TraceParent, Single(request, "traceparent"));
        Assert.Equal("nimbus=hops:2", Single(request, "tracestate"));
        Assert.StartsWith("Root=1-0af76519-", Single(request, "X-Amzn-Trace-Id"), StringComparison.Ordinal);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task CreateRequest_Sync_WithoutTraceContext_SendsNoTraceHeaders_AndAnEmptyObjectForAnEmptyPayload()
    {
        using var request = FunctionInvoker.CreateRequest(new Uri("http://127.0.0.1:9001/"), "f", ReadOnlyMemory<byte>.Empty,
            FunctionInvocationType.RequestResponse, null, "nimbus=hops:2", null);

        Assert.Equal("RequestResponse", Single(request, "X-Amz-Invocation-Type"));
        Assert.False(request.Headers.Contains("traceparent"));
        Assert.False(request.Headers.Contains("tracestate"));
        Assert.Equal("{}", await request.Content!.ReadAsStringAsync());
    }

    private static string Single(HttpRequestMessage request, string header) => Assert.Single(request.Headers.GetValues(header));
}
