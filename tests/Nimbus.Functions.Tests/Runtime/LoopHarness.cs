using System.Text;
using Nimbus.Functions.Logging;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions.Tests.Runtime;

/// <summary>Runs the SDK's runtime loop against a <see cref="RuntimeApiStub"/>, capturing what it logs.</summary>
public sealed class LoopHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly LockedStream _output = new();
    private Task<int>? _run;

    private LoopHarness(RuntimeApiStub stub) => Stub = stub;

    public RuntimeApiStub Stub { get; }

    public Task<int> Completion => _run ?? throw new InvalidOperationException("not started");

    /// <summary>Everything the loop logged, one string per line.</summary>
    public IReadOnlyList<string> LogLines => _output.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    internal static async Task<LoopHarness> StartAsync(Func<CancellationToken, ValueTask<InvocationHandler>> initialize, int maxConcurrency = 1)
    {
        var harness = new LoopHarness(await RuntimeApiStub.StartAsync());
        var environment = new RuntimeEnvironment(harness.Stub.Address, "fixture", "7", 256, LogLevel: null) { MaxConcurrency = maxConcurrency };
        var writer = new JsonLogWriter(harness._output, TimeProvider.System, FunctionLogLevel.Debug);
        var client = new RuntimeApiClient(environment.RuntimeApi);
        var loop = new RuntimeLoop(environment, client, writer, TextWriter.Null, TimeProvider.System);
        harness._run = Task.Run(async () =>
        {
            using (client)
            {
                return await loop.RunAsync(initialize, harness._stop.Token);
            }
        });
        return harness;
    }

    internal static Task<LoopHarness> StartAsync<TEvent, TResult>(Func<TEvent, IFunctionContext, ValueTask<TResult>> handler, int maxConcurrency = 1)
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        var invocationHandler = new JsonInvocationHandler<TEvent, TResult>(
            handler,
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<TEvent>)options.GetTypeInfo(typeof(TEvent)),
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult)));
        return StartAsync(_ => ValueTask.FromResult<InvocationHandler>(invocationHandler), maxConcurrency);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        await Stub.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A memory stream that the loop writes and the test reads from different threads.</summary>
    private sealed class LockedStream : MemoryStream
    {
        private readonly Lock _lock = new();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_lock)
            {
                base.Write(buffer);
            }
        }

        public string Text()
        {
            lock (_lock)
            {
                return Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
        }
    }
}
