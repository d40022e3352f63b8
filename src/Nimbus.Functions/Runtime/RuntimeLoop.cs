using System.Text.Json;
using Nimbus.Functions.Logging;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// Initialises the handler once, then serves invocations until the platform goes away: <c>GET next</c>, run the
/// handler, <c>POST response</c> or <c>POST error</c>. One loop by default; with
/// <see cref="RuntimeEnvironment.MaxConcurrency"/> N, N such loops at once, each with its own payload buffer and connection.
/// </summary>
/// <remarks>
/// Each loop runs on a thread of its own and talks to the runtime API with blocking calls, as one Lambda execution
/// environment serves one event: a response from the platform wakes the one thread that waits for it, with no
/// hand-off through the socket engine and the thread pool (docs/design/warm-path.md); a handler that blocks holds its
/// own loop only, never a pool thread the other loops' handlers need. Asynchronous handlers run as usual: their
/// continuations use the thread pool while the loop's thread waits for the result without spinning.
/// </remarks>
internal sealed class RuntimeLoop(
    RuntimeEnvironment environment,
    RuntimeApiClient client,
    JsonLogWriter logWriter,
    TextWriter diagnostics,
    TimeProvider timeProvider)
{
    // CancellationTokenSource accepts at most uint.MaxValue - 1 milliseconds.
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private string? _currentTraceId;

    // Powertools' variable, so a function moved from Lambda keeps its namespace.
    private readonly string _metricsNamespace = Environment.GetEnvironmentVariable("POWERTOOLS_METRICS_NAMESPACE") is { Length: > 0 } ns
        ? ns
        : environment.FunctionName;

    /// <summary>Runs until the runtime API is unreachable or <paramref name="cancellationToken"/> fires.</summary>
    /// <returns>The process exit code: 1 when initialisation failed or the platform broke the protocol, else 0.</returns>
    public async Task<int> RunAsync(Func<CancellationToken, ValueTask<InvocationHandler>> initialize, CancellationToken cancellationToken)
    {
        InvocationHandler handler;
        try
        {
            handler = await initialize(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return ReportInitError(exception, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        if (environment.MaxConcurrency > 1)
        {
            handler.Concurrent = true;
        }

        var loops = new Task<int>[Math.Max(1, environment.MaxConcurrency)];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = StartLoop(i, () => Serve(handler, cancellationToken));
        }

        // A loop ends when the platform stops the instance (the others finish what they serve first).
        return (await Task.WhenAll(loops).ConfigureAwait(false)).Max();
    }

    private static Task<int> StartLoop(int index, Func<int> serve)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.TrySetResult(serve());
            }
            catch (Exception exception)
            {
                done.TrySetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = $"nimbus runtime loop {index}",
        };
        thread.Start();
        return done.Task;
    }

    private int Serve(InvocationHandler handler, CancellationToken cancellationToken)
    {
        var waiter = new ResultWaiter();
        var payload = new BodyBuffer(16 * 1024);
        try
        {
            var invocation = client.Next(payload, cancellationToken);
            while (true)
            {
                invocation = Invoke(handler, invocation, payload, waiter, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // Nobody is left to serve: the platform stopped or dropped this instance.
            diagnostics.WriteLine($"nimbus runtime: runtime API unreachable ({exception.Message}); exiting");
            return 0;
        }
        catch (RuntimeApiException exception)
        {
            diagnostics.WriteLine($"nimbus runtime: {exception.Message}; exiting");
            return 1;
        }
    }

    private int ReportInitError(Exception exception, CancellationToken cancellationToken)
    {
        var errorType = ErrorPayload.ErrorType(exception);
        var payload = ErrorPayload.Write(exception);
        LogError(requestId: null, "Init failed", payload);
        try
        {
            client.PostInitError(payload.Span, errorType, cancellationToken);
        }
        catch (Exception postFailure) when (postFailure is HttpRequestException or IOException or OperationCanceledException)
        {
            diagnostics.WriteLine($"nimbus runtime: could not report the init error ({postFailure.Message})");
        }

        return 1;
    }

    /// <summary>Runs the handler for one event, posts its outcome and returns the next event.</summary>
    private Invocation Invoke(InvocationHandler handler, Invocation invocation, BodyBuffer payload, ResultWaiter waiter,
        CancellationToken cancellationToken)
    {
        // Process-wide: with several loops it holds the latest invocation's; the context carries each one's own.
        if (!string.Equals(invocation.TraceId, Volatile.Read(ref _currentTraceId), StringComparison.Ordinal))
        {
            Volatile.Write(ref _currentTraceId, invocation.TraceId);
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
        }

        var deadline = invocation.DeadlineUnixMs > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(invocation.DeadlineUnixMs)
            : DateTimeOffset.MaxValue;
        using var deadlineSource = CreateDeadlineSource(deadline);
        using var shutdown = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadlineSource)
            : default;
        var context = new FunctionContext(invocation, environment, deadline, timeProvider, deadlineSource.Token,
            new FunctionLogger(logWriter, invocation.RequestId),
            new Logging.EmfMetrics(logWriter, timeProvider, _metricsNamespace));

        ReadOnlyMemory<byte> response;
        try
        {
            response = waiter.Wait(handler.InvokeAsync(invocation.Payload, context));
        }
        catch (Exception exception)
        {
            var error = ErrorPayload.Write(exception);
            LogError(invocation.RequestId, "Invoke error", error);
            return client.PostErrorThenNext(invocation.RequestId, error.Span, ErrorPayload.ErrorType(exception), payload, cancellationToken);
        }

        return client.PostResponseThenNext(invocation.RequestId, response.Span, payload, cancellationToken);
    }

    private CancellationTokenSource CreateDeadlineSource(DateTimeOffset deadline)
    {
        var remaining = deadline - timeProvider.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            var expired = new CancellationTokenSource();
            expired.Cancel();
            return expired;
        }

        return remaining >= s_maxDelay ? new CancellationTokenSource() : new CancellationTokenSource(remaining, timeProvider);
    }

    private void LogError(string? requestId, string message, ReadOnlyMemory<byte> errorPayload)
    {
        // The error document doubles as the record's fields: errorType, errorMessage and stackTrace become searchable.
        using var document = JsonDocument.Parse(errorPayload);
        logWriter.Write(FunctionLogLevel.Error, requestId, message, document.RootElement);
    }
}
