using System.Text;
using System.Text.Json;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

public sealed class RuntimeLoopTests
{
    public sealed record Order(string Id, decimal Total, string? CustomerName);

    public sealed record Receipt(string OrderId, decimal Charged, string RequestId);

    [Fact]
    public async Task TypedHandler_BindsEventCaseInsensitively_AndAnswersCamelCaseJson()
    {
        await using var loop = await LoopHarness.StartAsync<Order, Receipt>((order, ctx) =>
            ValueTask.FromResult(new Receipt(order.Id, order.Total * 2, ctx.RequestId)));

        var id = loop.Stub.Enqueue("""{"ID":"o-1","total":21.5,"customerName":"Ada"}""", TimeSpan.FromSeconds(10));
        var posted = await loop.Stub.WaitPostedAsync(id);

        Assert.Equal("response", posted.Kind);
        Assert.Equal($$"""{"orderId":"o-1","charged":43.0,"requestId":"{{id}}"}""", posted.Body);
    }

    [Fact]
    public async Task Loop_ServesInvocationsOneAfterAnother_OnOneInstance()
    {
        var seen = 0;
        await using var loop = await LoopHarness.StartAsync<JsonElement, int>((_, _) => ValueTask.FromResult(++seen));

        for (var i = 1; i <= 3; i++)
        {
            var posted = await loop.Stub.InvokeAsync("{}");
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), posted.Body);
        }
    }

    [Fact]
    public async Task HandlerException_IsPostedAsFunctionError_WithFullTypeNameAndStack_AndTheLoopContinues()
    {
        await using var loop = await LoopHarness.StartAsync<JsonElement, string>((e, _) =>
            e.GetProperty("fail").GetBoolean()
                ? throw new InvalidOperationException("card declined", new TimeoutException("bank slow"))
                : ValueTask.FromResult("ok"));

        var failed = await loop.Stub.InvokeAsync("""{"fail":true}""");

        Assert.Equal("error", failed.Kind);
        Assert.Equal("System.InvalidOperationException", failed.ErrorTypeHeader);
        var error = failed.Json;
        Assert.Equal("card declined", error.GetProperty("errorMessage").GetString());
        Assert.Equal("System.InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Contains(error.GetProperty("stackTrace").EnumerateArray(),
            frame => frame.GetString()!.StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("System.TimeoutException", error.GetProperty("cause").GetProperty("errorType").GetString());

        var next = await loop.Stub.InvokeAsync("""{"fail":false}""");
        Assert.Equal(("response", "\"ok\""), (next.Kind, next.Body));
    }

    [Fact]
    public async Task HandlerException_IsLoggedWithTheRequestId()
    {
        await using var loop = await LoopHarness.StartAsync<JsonElement, string>((_, _) => throw new FormatException("bad"));

        var id = loop.Stub.Enqueue("{}", TimeSpan.FromSeconds(10));
        await loop.Stub.WaitPostedAsync(id);

        var line = Assert.Single(loop.LogLines);
        var record = JsonDocument.Parse(line).RootElement;
        Assert.Equal("ERROR", record.GetProperty("level").GetString());
        Assert.Equal(id, record.GetProperty("requestId").GetString());
        Assert.Equal("System.FormatException", record.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task EventThatDoesNotBind_IsAFunctionError()
    {
        await using var loop = await LoopHarness.StartAsync<Order, string>((_, _) => ValueTask.FromResult("unreached"));

        var posted = await loop.Stub.InvokeAsync("""{"id":"o-1","total":"lots"}""");

        Assert.Equal(("error", "System.Text.Json.JsonException"), (posted.Kind, posted.ErrorTypeHeader));
    }

    [Fact]
    public async Task InitFailure_IsPostedToInitError_AndExitsWithOne_WithoutPolling()
    {
        await using var loop = await LoopHarness.StartAsync(_ =>
            throw new FileNotFoundException("settings.json is missing"));

        var error = await loop.Stub.WaitInitErrorAsync();

        Assert.Equal(1, await loop.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("System.IO.FileNotFoundException", error.ErrorTypeHeader);
        Assert.Equal("settings.json is missing", error.Json.GetProperty("errorMessage").GetString());
        Assert.Equal(0, loop.Stub.NextCalls);
    }

    [Fact]
    public async Task Context_CarriesTheInvocationHeadersAndFunctionSettings()
    {
        IFunctionContext? seen = null;
        TimeSpan remaining = default;
        string? traceEnvironment = null;
        await using var loop = await LoopHarness.StartAsync<JsonElement, bool>((_, ctx) =>
        {
            seen = ctx;
            remaining = ctx.RemainingTime;
            traceEnvironment = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
            return ValueTask.FromResult(true);
        });
        const string trace = "Root=1-5f84c7a1-abcdefabcdefabcdefabcdef;Parent=1234567890abcdef;Sampled=1";
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var before = DateTimeOffset.UtcNow;
        var id = loop.Stub.Enqueue("{}", TimeSpan.FromSeconds(60), trace, traceParent);
        await loop.Stub.WaitPostedAsync(id);

        Assert.NotNull(seen);
        Assert.Equal(id, seen.RequestId);
        Assert.Equal(("fixture", "7", 256), (seen.FunctionName, seen.FunctionVersion, seen.MemoryLimitMb));
        Assert.Equal("arn:aws:lambda:local:000000000000:function:fixture:live", seen.InvokedFunctionArn);
        Assert.Equal((trace, traceParent), (seen.TraceId, seen.TraceParent));
        Assert.Equal(trace, traceEnvironment);
        Assert.InRange(seen.Deadline, before.AddSeconds(59), before.AddSeconds(61));
        Assert.InRange(remaining, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task CancellationToken_IsCancelledWhenTheDeadlinePasses()
    {
        await using var loop = await LoopHarness.StartAsync<JsonElement, string>(async (_, ctx) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
            return "unreached";
        });

        var posted = await loop.Stub.InvokeAsync("{}", TimeSpan.FromMilliseconds(200));

        Assert.Equal(("error", "System.Threading.Tasks.TaskCanceledException"), (posted.Kind, posted.ErrorTypeHeader));
    }

    [Fact]
    public async Task RawHandler_GetsThePayloadBytes_AndItsBytesAreTheResponse()
    {
        await using var loop = await LoopHarness.StartAsync(_ => ValueTask.FromResult<InvocationHandler>(
            new RawInvocationHandler((input, _) =>
                ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes($"[{input.Length}," +
                    Encoding.UTF8.GetString(input.Span) + "]")))));

        var big = new string('x', 100_000); // larger than the initial payload buffer
        var posted = await loop.Stub.InvokeAsync($$"""{"data":"{{big}}"}""");

        Assert.Equal($$"""[{{big.Length + 11}},{"data":"{{big}}"}]""", posted.Body);
    }

    [Fact]
    public async Task Logger_WritesJsonLinesWithRequestIdAndFields()
    {
        await using var loop = await LoopHarness.StartAsync<JsonElement, int>((_, ctx) =>
        {
            ctx.Logger.Info("charged", new { OrderId = "o-1", Amount = 12.5m });
            ctx.Logger.Warn("slow bank");
            return ValueTask.FromResult(0);
        });

        var id = loop.Stub.Enqueue("{}", TimeSpan.FromSeconds(10));
        await loop.Stub.WaitPostedAsync(id);

        Assert.Collection(loop.LogLines,
            line =>
            {
                var record = JsonDocument.Parse(line).RootElement;
                Assert.Equal(("INFO", id, "charged"), (record.GetProperty("level").GetString(),
                    record.GetProperty("requestId").GetString(), record.GetProperty("message").GetString()));
                Assert.Equal("o-1", record.GetProperty("orderId").GetString());
                Assert.Equal(12.5m, record.GetProperty("amount").GetDecimal());
                Assert.True(DateTimeOffset.TryParse(record.GetProperty("time").GetString(), out _));
            },
            line => Assert.Equal(("WARN", "slow bank"), (JsonDocument.Parse(line).RootElement.GetProperty("level").GetString(),
                JsonDocument.Parse(line).RootElement.GetProperty("message").GetString())));
    }

    [Fact]
    public async Task Loop_ReturnsZero_WhenThePlatformGoesAway()
    {
        var loop = await LoopHarness.StartAsync<JsonElement, int>((_, _) => ValueTask.FromResult(1));
        await loop.Stub.InvokeAsync("{}");

        await loop.Stub.DisposeAsync();

        Assert.Equal(0, await loop.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        await loop.DisposeAsync();
    }
}
