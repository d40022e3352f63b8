using System.Text.Json;
using Nimbus.Functions.Logging;

namespace Nimbus.Functions.Runtime;

/// <summary>
/// Initialises the handler once, then serves invocations until the platform goes away: <c>GET next</c>, run the
/// handler, <c>POST response</c> or <c>POST error</c>. One loop at a time by default; with
/// <see cref="RuntimeEnvironment.MaxConcurrency"/> N, N such loops at once, each with its own payload buffer and connection.
/// </summary>
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
            return await ReportInitErrorAsync(exception, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        if (environment.MaxConcurrency <= 1)
        {
            return await ServeAsync(handler, payload: null, cancellationToken).ConfigureAwait(false);
        }

        handler.Concurrent = true;
        var loops = new Task<int>[environment.MaxConcurrency];
        for (var i = 0; i < loops.Length; i++)
        {
            var payload = new BodyBuffer(16 * 1024);
            loops[i] = Task.Run(() => ServeAsync(handler, payload, cancellationToken), CancellationToken.None);
        }

        // A loop ends when the platform stops the instance (the others finish what they serve first).
        return (await Task.WhenAll(loops).ConfigureAwait(false)).Max();
    }

    private async Task<int> ServeAsync(InvocationHandler handler, BodyBuffer? payload, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var invocation = payload is null
                    ? await client.NextAsync(cancellationToken).ConfigureAwait(false)
                    : await client.NextAsync(payload, cancellationToken).ConfigureAwait(false);
                await InvokeAsync(handler, invocation, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // Nobody is left to serve: the platform stopped or dropped this instance.
            await diagnostics.WriteLineAsync($"nimbus runtime: runtime API unreachable ({exception.Message}); exiting")
                .ConfigureAwait(false);
            return 0;
        }
        catch (RuntimeApiException exception)
        {
            await diagnostics.WriteLineAsync($"nimbus runtime: {exception.Message}; exiting").ConfigureAwait(false);
            return 1;
        }
    }

    private async Task<int> ReportInitErrorAsync(Exception exception, CancellationToken cancellationToken)
    {
        var errorType = ErrorPayload.ErrorType(exception);
        var payload = ErrorPayload.Write(exception);
        LogError(requestId: null, "Init failed", payload);
        try
        {
            await client.PostInitErrorAsync(payload, errorType, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception postFailure) when (postFailure is HttpRequestException or IOException or OperationCanceledException)
        {
            await diagnostics.WriteLineAsync($"nimbus runtime: could not report the init error ({postFailure.Message})")
                .ConfigureAwait(false);
        }

        return 1;
    }

    private async Task InvokeAsync(InvocationHandler handler, Invocation invocation, CancellationToken cancellationToken)
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
            response = await handler.InvokeAsync(invocation.Payload, context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var payload = ErrorPayload.Write(exception);
            LogError(invocation.RequestId, "Invoke error", payload);
            await client.PostErrorAsync(invocation.RequestId, payload, ErrorPayload.ErrorType(exception), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        await client.PostResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
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
