using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nimbus.Functions.Logging;
using Nimbus.Functions.Runtime;

namespace Nimbus.Functions;

/// <summary>
/// Runs a function: call one of the <c>RunAsync</c> overloads from <c>Main</c>. It serves invocations from the
/// platform one at a time over the Lambda Runtime API (2018-06-01) and returns when the platform goes away.
/// </summary>
/// <example>
/// <code>
/// await FunctionHost.RunAsync&lt;Order, Receipt&gt;(async (order, ctx) =&gt;
/// {
///     ctx.Logger.Info("charging", new { order.Id, order.Total });
///     return new Receipt(order.Id, await Charge(order, ctx.CancellationToken));
/// });
/// </code>
/// </example>
/// <remarks>
/// A handler exception is reported as a function error whose type is the exception's full type name; the instance
/// stays up for the next event. An exception thrown while initialising is reported to the platform as an init error
/// and <see cref="Environment.ExitCode"/> is set to 1. Run outside Nimbus (no <c>AWS_LAMBDA_RUNTIME_API</c>), the
/// methods print an explanation and set the exit code to 1.
/// </remarks>
public static class FunctionHost
{
    // Overloads come in pairs with identical parameter lists (typed generic, raw bytes) so that C# prefers the
    // non-generic raw overload for a lambda taking ReadOnlyMemory<byte> instead of calling the pair ambiguous.
    private static readonly JsonSerializerOptions s_webOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Serves a handler that takes and returns JSON documents bound to .NET types, with
    /// <see cref="JsonSerializerDefaults.Web"/> settings (camelCase names, case-insensitive binding).
    /// </summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type; serialised as the response body.</typeparam>
    /// <param name="handler">Called once per invocation. An event whose payload is empty arrives as <c>default</c>.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync<TEvent, TResult>(
        Func<TEvent, IFunctionContext, ValueTask<TResult>> handler,
        CancellationToken cancellationToken = default) =>
        RunAsync(handler, s_webOptions, cancellationToken);

    /// <summary>Serves a handler that takes and returns JSON documents bound to .NET types with the given settings.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type; serialised as the response body.</typeparam>
    /// <param name="handler">Called once per invocation. An event whose payload is empty arrives as <c>default</c>.</param>
    /// <param name="serializerOptions">JSON settings for the event and the result; made read-only.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync<TEvent, TResult>(
        Func<TEvent, IFunctionContext, ValueTask<TResult>> handler,
        JsonSerializerOptions serializerOptions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync<TEvent, TResult>(_ => ValueTask.FromResult(handler), serializerOptions, cancellationToken);
    }

    /// <summary>Serves a typed handler whose JSON contract comes from source-generated metadata (trimming and AOT friendly).</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="handler">Called once per invocation.</param>
    /// <param name="eventTypeInfo">How to read the event, e.g. <c>MyJsonContext.Default.Order</c>.</param>
    /// <param name="resultTypeInfo">How to write the result, e.g. <c>MyJsonContext.Default.Receipt</c>.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync<TEvent, TResult>(
        Func<TEvent, IFunctionContext, ValueTask<TResult>> handler,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(eventTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        var invocationHandler = new JsonInvocationHandler<TEvent, TResult>(handler, eventTypeInfo, resultTypeInfo);
        return RunCoreAsync(_ => ValueTask.FromResult<InvocationHandler>(invocationHandler), cancellationToken);
    }

    /// <summary>
    /// Serves a typed handler built by <paramref name="initialize"/>, which runs once per instance before the first
    /// event: open connections and load configuration there. If it throws, the platform records an init error.
    /// JSON uses <see cref="JsonSerializerDefaults.Web"/> settings.
    /// </summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type; serialised as the response body.</typeparam>
    /// <param name="initialize">Builds the handler; its token is cancelled when serving stops.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync<TEvent, TResult>(
        Func<CancellationToken, ValueTask<Func<TEvent, IFunctionContext, ValueTask<TResult>>>> initialize,
        CancellationToken cancellationToken = default) =>
        RunAsync(initialize, s_webOptions, cancellationToken);

    /// <summary>
    /// Serves a typed handler built once per instance by <paramref name="initialize"/>, with the given JSON settings.
    /// If <paramref name="initialize"/> throws, the platform records an init error.
    /// </summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <typeparam name="TResult">The result type; serialised as the response body.</typeparam>
    /// <param name="initialize">Builds the handler; its token is cancelled when serving stops.</param>
    /// <param name="serializerOptions">JSON settings for the event and the result; made read-only.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync<TEvent, TResult>(
        Func<CancellationToken, ValueTask<Func<TEvent, IFunctionContext, ValueTask<TResult>>>> initialize,
        JsonSerializerOptions serializerOptions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        ArgumentNullException.ThrowIfNull(serializerOptions);
        var options = ReadOnly(serializerOptions);
        return RunCoreAsync(async token =>
        {
            var handler = await initialize(token).ConfigureAwait(false);
            return new JsonInvocationHandler<TEvent, TResult>(
                handler,
                (JsonTypeInfo<TEvent>)options.GetTypeInfo(typeof(TEvent)),
                (JsonTypeInfo<TResult>)options.GetTypeInfo(typeof(TResult)));
        }, cancellationToken);
    }

    /// <summary>
    /// Serves a handler that works on the raw payload bytes, for zero-copy pass-through or a serializer of your own.
    /// </summary>
    /// <param name="handler">Called once per invocation. The input memory is reused for the next event, so copy what
    /// you keep; the returned memory must stay unchanged until the handler's next call.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync(
        Func<ReadOnlyMemory<byte>, IFunctionContext, ValueTask<ReadOnlyMemory<byte>>> handler,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var invocationHandler = new RawInvocationHandler(handler);
        return RunCoreAsync(_ => ValueTask.FromResult<InvocationHandler>(invocationHandler), cancellationToken);
    }

    /// <summary>Serves a raw-bytes handler built once per instance by <paramref name="initialize"/>.</summary>
    /// <param name="initialize">Builds the handler; if it throws, the platform records an init error.</param>
    /// <param name="cancellationToken">Stops serving (for tests and hosts); functions normally pass nothing.</param>
    public static Task RunAsync(
        Func<CancellationToken, ValueTask<Func<ReadOnlyMemory<byte>, IFunctionContext, ValueTask<ReadOnlyMemory<byte>>>>> initialize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        return RunCoreAsync(async token =>
            new RawInvocationHandler(await initialize(token).ConfigureAwait(false)), cancellationToken);
    }

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        if (!options.IsReadOnly)
        {
            // Options in use must not change; this also supplies the reflection resolver when none was set.
            options.MakeReadOnly(populateMissingResolver: true);
        }

        return options;
    }

    private static async Task RunCoreAsync(Func<CancellationToken, ValueTask<InvocationHandler>> initialize, CancellationToken cancellationToken)
    {
        var environment = RuntimeEnvironment.FromEnvironment();
        if (environment is null)
        {
            await Console.Error.WriteLineAsync(
                "nimbus runtime: AWS_LAMBDA_RUNTIME_API is not set. This program is a Nimbus function: deploy it with " +
                "`nimbus deploy` and call it with `nimbus invoke`.").ConfigureAwait(false);
            Environment.ExitCode = 1;
            return;
        }

        var stdout = Console.OpenStandardOutput();
        var logWriter = new JsonLogWriter(stdout, TimeProvider.System, JsonLogWriter.ParseLevel(environment.LogLevel));
        using var client = new RuntimeApiClient(environment.RuntimeApi);
        var loop = new RuntimeLoop(environment, client, logWriter, Console.Error, TimeProvider.System);
        Environment.ExitCode = await loop.RunAsync(initialize, cancellationToken).ConfigureAwait(false);
    }
}
