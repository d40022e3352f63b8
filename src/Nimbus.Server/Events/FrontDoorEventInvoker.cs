using Nimbus.Core.Events;
using Nimbus.Core.Invocations;
using Nimbus.Core.Tracing;
using Nimbus.Server.Invocations;
using Nimbus.Server.Runtime;

namespace Nimbus.Server.Events;

/// <summary>
/// An attempt is an ordinary invocation through the front door with <see cref="InvocationSource.Async"/>, so limits,
/// logs, metrics and traces are those of a sync call. Every attempt keeps the event's request id and traceparent.
/// </summary>
public sealed class FrontDoorEventInvoker : IAsyncEventInvoker
{
    private readonly Invoker _invoker;

    public FrontDoorEventInvoker(Invoker invoker) => _invoker = invoker;

    public async Task<AsyncAttemptResult> InvokeAsync(AsyncEvent item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (traceParent, traceState) = QueuedTrace.Decode(item.TraceParent);
        var call = new InvocationCall
        {
            FunctionName = item.FunctionName,
            Qualifier = item.Qualifier,
            Payload = item.Payload,
            Source = InvocationSource.Async,
            RequestId = item.RequestId,
            TraceParent = traceParent,
            TraceState = traceState,
            Header = item.HeaderKey is { } key ? key.Lookup : null,
        };
        var answer = await _invoker.InvokeAsync(call, cancellationToken).ConfigureAwait(false);
        return Map(answer);
    }

    public static AsyncAttemptResult Map(InvokeAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Result is not { } result)
        {
            return answer.Admission switch
            {
                AdmissionStatus.NotAccepting => new AsyncAttemptResult(AsyncAttemptOutcome.PlatformStopping),
                AdmissionStatus.RecursiveInvocationDropped => new AsyncAttemptResult(AsyncAttemptOutcome.RecursiveInvocationDropped,
                    answer.Target?.Version, RecursionGuard.ErrorType, answer.Detail),
                AdmissionStatus.IdempotencyConflict => new AsyncAttemptResult(AsyncAttemptOutcome.IdempotencyInProgress, ErrorMessage: answer.Detail),
                _ => new AsyncAttemptResult(AsyncAttemptOutcome.FunctionNotFound, ErrorType: "Nimbus." + answer.Admission, ErrorMessage: answer.Detail),
            };
        }

        var outcome = result.Outcome switch
        {
            InvocationOutcome.Success => AsyncAttemptOutcome.Success,
            InvocationOutcome.Timeout => AsyncAttemptOutcome.Timeout,
            InvocationOutcome.OutOfMemory => AsyncAttemptOutcome.OutOfMemory,
            InvocationOutcome.Crashed => AsyncAttemptOutcome.Crashed,
            InvocationOutcome.InitError => AsyncAttemptOutcome.InitError,
            InvocationOutcome.Throttled when result.ThrottleReason == ThrottleReason.FunctionDisabled => AsyncAttemptOutcome.ZeroReservedConcurrency,
            InvocationOutcome.Throttled => AsyncAttemptOutcome.Throttled,
            _ => AsyncAttemptOutcome.FunctionError,
        };

        string? errorType = null, errorMessage = null;
        if (result.IsFunctionError)
        {
            var (type, message) = LambdaError.Read(result.Body.Span);
            errorType = result.ErrorType ?? type;
            errorMessage = AsyncAttempt.Truncate(message);
        }

        return new AsyncAttemptResult(outcome, result.ExecutedVersion ?? answer.Target?.Version, errorType, errorMessage, result.DurationMs, result.Body);
    }
}
