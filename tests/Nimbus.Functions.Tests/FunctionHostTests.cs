using Nimbus.Functions.Tests.Runtime;

namespace Nimbus.Functions.Tests;

/// <summary>
/// The public entry points, written the way function authors write them. They read the worker's settings from the
/// process environment, so these tests run one at a time in this class.
/// </summary>
public sealed class FunctionHostTests
{
    public sealed record Order(string Id, int Quantity);

    public sealed record Receipt(string OrderId, int Quantity, string Greeting);

    private static async Task<(PostedResult Posted, int ExitCode)> RunAsync(
        Func<CancellationToken, Task> run, string body, Func<RuntimeApiStub, Task<PostedResult>>? wait = null)
    {
        await using var stub = await RuntimeApiStub.StartAsync();
        Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", stub.Address);
        Environment.SetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME", "orders");
        using var stop = new CancellationTokenSource();
        try
        {
            var running = run(stop.Token);
            var posted = wait is null ? await stub.InvokeAsync(body) : await wait(stub);
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30));
            return (posted, Environment.ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API", null);
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public async Task RunAsync_TypedAsyncLambda_ServesInvocations()
    {
        var (posted, exitCode) = await RunAsync(token => FunctionHost.RunAsync<Order, Receipt>(async (order, ctx) =>
        {
            await Task.Yield();
            return new Receipt(order.Id, order.Quantity, $"from {ctx.FunctionName}");
        }, cancellationToken: token), """{"id":"o-9","quantity":3}""");

        Assert.Equal("""{"orderId":"o-9","quantity":3,"greeting":"from orders"}""", posted.Body);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task RunAsync_RawLambda_PassesBytesThrough()
    {
        var (posted, _) = await RunAsync(token => FunctionHost.RunAsync(
            (ReadOnlyMemory<byte> input, IFunctionContext _) => ValueTask.FromResult(input), token), """{"same":"bytes"}""");

        Assert.Equal("""{"same":"bytes"}""", posted.Body);
    }

    [Fact]
    public async Task RunAsync_InitFactory_RunsOnceBeforeTheFirstEvent()
    {
        var initialisations = 0;
        var (posted, _) = await RunAsync(token => FunctionHost.RunAsync<Order, string>(async ct =>
        {
            initialisations++;
            var prefix = await Task.FromResult("prepared");
            return (order, _) => ValueTask.FromResult($"{prefix}:{order.Id}");
        }, cancellationToken: token), """{"id":"o-1"}""");

        Assert.Equal("\"prepared:o-1\"", posted.Body);
        Assert.Equal(1, initialisations);
    }

    [Fact]
    public async Task RunAsync_InitFactoryThatThrows_ReportsInitErrorAndSetsExitCodeOne()
    {
        var (posted, exitCode) = await RunAsync(
            token => FunctionHost.RunAsync<Order, string>(
                _ => throw new InvalidOperationException("no database"), cancellationToken: token),
            body: "",
            wait: stub => stub.WaitInitErrorAsync());

        Assert.Equal("System.InvalidOperationException", posted.ErrorTypeHeader);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task RunAsync_SourceGeneratedContract_ServesInvocations()
    {
        var (posted, _) = await RunAsync(token => FunctionHost.RunAsync(
            (Order order, IFunctionContext _) => ValueTask.FromResult(new Receipt(order.Id, order.Quantity * 2, "gen")),
            TestJsonContext.Default.Order, TestJsonContext.Default.Receipt, token), """{"Id":"o-2","Quantity":4}""");

        Assert.Equal("""{"OrderId":"o-2","Quantity":8,"Greeting":"gen"}""", posted.Body);
    }

    /// <summary>Never run: it only has to compile, proving that the documented call shapes are not ambiguous.</summary>
    internal static IReadOnlyList<Func<Task>> DocumentedCallShapes() =>
    [
        () => FunctionHost.RunAsync<Order, Receipt>(async (order, ctx) =>
        {
            await Task.Yield();
            return new Receipt(order.Id, order.Quantity, ctx.RequestId);
        }),
        () => FunctionHost.RunAsync(async (ReadOnlyMemory<byte> input, IFunctionContext _) =>
        {
            await Task.Yield();
            return input;
        }),
        () => FunctionHost.RunAsync(_ => ValueTask.FromResult<Func<ReadOnlyMemory<byte>, IFunctionContext, ValueTask<ReadOnlyMemory<byte>>>>(
            (input, _) => ValueTask.FromResult(input))),
        () => FunctionHost.RunAsync<Order, string>(async _ =>
        {
            await Task.Yield();
            return (order, _) => ValueTask.FromResult(order.Id);
        }),
        () => FunctionHost.RunAsync<Order, string>((order, _) => ValueTask.FromResult(order.Id),
            new System.Text.Json.JsonSerializerOptions()),
    ];
}
