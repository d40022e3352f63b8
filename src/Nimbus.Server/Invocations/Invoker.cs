using Nimbus.Core.Deployments;
using Nimbus.Core.Routing;
using Nimbus.Core.Tracing;
using Nimbus.Server.Deployments;
using Nimbus.Server.Deployments.Shadow;
using Nimbus.Server.Gateway;
using Nimbus.Server.Runtime;
using Nimbus.Server.Telemetry;

namespace Nimbus.Server.Invocations;

/// <summary>
/// The front door: every way an invocation starts (native invoke, Lambda's invoke API, HTTP routes, and later the
/// async queue, queue sources, schedules, hooks, shadow copies) goes through here. It owns admission (accepting;
/// later limits and policy), resolution (alias weights drawn from an <see cref="ITrafficSampler"/>), the request the
/// dispatcher gets, the dispatcher call, and the one <see cref="Core.Invocations.InvocationRecord"/> that describes
/// the outcome. Entry points only parse their input and render the <see cref="InvokeAnswer"/>.
/// </summary>
public sealed class Invoker
{
    private static readonly InvokeAnswer s_notAccepting = new()
    {
        Admission = AdmissionStatus.NotAccepting,
        Detail = "Nimbus is shutting down and accepts no new invocations.",
    };

    private readonly RoutingState _routing;
    private readonly Dispatcher _dispatcher;
    private readonly TelemetrySink _telemetry;
    private readonly ITrafficSampler _sampler;
    private readonly TimeProvider _time;
    private readonly IdempotencyGuard? _idempotency;
    private readonly StickyRoutes? _sticky;
    private readonly ShadowRoutes? _shadows;
    private readonly ShadowQueue? _shadowQueue;

    public Invoker(RoutingState routing, Dispatcher dispatcher, TelemetrySink telemetry, ITrafficSampler sampler, TimeProvider time,
        IdempotencyGuard? idempotency = null, StickyRoutes? sticky = null, ShadowRoutes? shadows = null, ShadowQueue? shadowQueue = null)
    {
        _shadows = shadows;
        _shadowQueue = shadowQueue;
        _idempotency = idempotency;
        _sticky = sticky;
        _routing = routing;
        _dispatcher = dispatcher;
        _telemetry = telemetry;
        _sampler = sampler;
        _time = time;
    }

    /// <summary>
    /// Whether invocations are admitted right now. An entry point may ask before it reads a request body, so that a
    /// platform that is shutting down does not read megabytes it will refuse; <see cref="Admit"/> asks again.
    /// </summary>
    public bool Accepting => _dispatcher.Accepting;

    /// <summary>
    /// Admission and resolution without dispatch: the target that would serve the function now, or why it cannot be
    /// invoked. The async queue uses it to accept an event (202) only for a function that exists.
    /// </summary>
    public InvokeAnswer Admit(string functionName, string? qualifier)
    {
        if (!_dispatcher.Accepting)
        {
            return s_notAccepting;
        }

        var resolved = _routing.Current.Resolve(functionName, qualifier, _sampler.Next());
        return resolved.Status switch
        {
            ResolveStatus.Found => new InvokeAnswer { Admission = AdmissionStatus.Admitted, Target = resolved.Target, Alias = resolved.Alias },
            ResolveStatus.FunctionNotFound => Refused(AdmissionStatus.FunctionNotFound, resolved.Message),
            ResolveStatus.QualifierNotFound => Refused(AdmissionStatus.QualifierNotFound, resolved.Message),
            _ => Refused(AdmissionStatus.NoCode, resolved.Message),
        };
    }

    /// <summary>Admits, resolves and runs one invocation, and publishes its record.</summary>
    public Task<InvokeAnswer> InvokeAsync(InvocationCall call, CancellationToken cancellationToken)
    {
        var admission = Admit(call.FunctionName, call.Qualifier);
        return admission.IsAdmitted ? RunAsync(admission, call, cancellationToken) : Task.FromResult(admission);
    }

    /// <summary>
    /// Runs a call that <see cref="Admit"/> admitted just before, for an entry point that must check more of the
    /// request between the two and answers "not found" before "payload too large" (the synchronous endpoints).
    /// Resolution is not repeated, so the version the caller was told about is the one that runs.
    /// </summary>
    public Task<InvokeAnswer> InvokeAsync(InvokeAnswer admission, InvocationCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(call);
        if (!admission.IsAdmitted || admission.Target is null || !string.Equals(admission.Target.FunctionName, call.FunctionName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The admission is not an admitted answer for function '{call.FunctionName}'.", nameof(admission));
        }

        // Reading the body may have taken a while: a shutdown that began meanwhile refuses the call instead of racing it.
        return _dispatcher.Accepting ? RunAsync(admission, call, cancellationToken) : Task.FromResult(s_notAccepting);
    }

    private async Task<InvokeAnswer> RunAsync(InvokeAnswer admission, InvocationCall call, CancellationToken cancellationToken)
    {
        var target = StickyTarget(admission, call) ?? admission.Target!;
        var entered = _time.GetTimestamp();
        var trace = TraceContext.Continue(call.TraceParent, call.TraceState, call.XRayTrace);
        if (RecursionGuard.ShouldDrop(trace.Hops, target.Config.RecursiveLoop))
        {
            _telemetry.RecursionDropped(target, call.RequestId, trace);
            return new InvokeAnswer
            {
                Admission = AdmissionStatus.RecursiveInvocationDropped,
                Target = target,
                Alias = admission.Alias,
                Detail = $"Function '{target.FunctionName}' was called {trace.Hops} function-to-function hops down one chain (more than " +
                    $"{RecursionGuard.MaxHops}): the call was stopped as a recursive loop. Set recursiveLoop: Allow on the function to let it run.",
            };
        }

        var check = _idempotency is null ? IdempotencyCheck.None : await _idempotency.BeginAsync(target, call, cancellationToken).ConfigureAwait(false);
        if (check.Conflict)
        {
            return new InvokeAnswer
            {
                Admission = AdmissionStatus.IdempotencyConflict, Target = target, Alias = admission.Alias,
                Detail = $"An invocation of '{call.FunctionName}' with the same idempotency key is still in progress (request {check.Stored?.RequestId}); try again when it has finished.",
            };
        }

        if (check.Stored is { } stored)
        {
            return new InvokeAnswer { Admission = AdmissionStatus.Admitted, Target = target, Alias = admission.Alias, Result = IdempotencyGuard.Replay(stored, call.RequestId) };
        }

        InvocationResult? result = null;
        try
        {
            var request = new InvokeRequest(call.RequestId, call.Payload, call.TraceParent, call.ClientContext, call.CaptureLogTail) { Trace = trace };
            result = await _dispatcher.InvokeAsync(target, admission.Alias, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (check.Claim is { } claim)
            {
                await _idempotency!.EndAsync(target, claim, result).ConfigureAwait(false);
            }
        }

        var elapsedMs = _time.GetElapsedTime(entered).TotalMilliseconds;
        _telemetry.Publish(InvocationRecords.From(call.Source, target, admission.Alias, result, _time.GetUtcNow(), trace, elapsedMs));
        if (_shadows is { Any: true } && admission.Alias is { } alias && call.Source != InvocationSource.Shadow)
        {
            Mirror(target, alias, call, result, elapsedMs);
        }

        return new InvokeAnswer { Admission = AdmissionStatus.Admitted, Target = target, Alias = admission.Alias, Result = result };
    }

    /// <summary>
    /// During a shadow deployment of the alias, hands a copy of the call (its share of them) to the shadow runner: one
    /// TryWrite, no wait; the caller's answer is the live one whatever happens to the copy.
    /// </summary>
    private void Mirror(ExecutionTarget target, string alias, InvocationCall call, InvocationResult result, double elapsedMs)
    {
        if (_shadows!.Get(target.FunctionName, alias) is not { } route || _shadowQueue is null
            || string.Equals(target.Version, route.ToVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || !route.Sampler.Next())
        {
            return;
        }

        var live = new Core.Deployments.Shadow.ShadowOutcome(result.Outcome, result.ErrorType, result.Body, elapsedMs);
        _shadowQueue.Offer(new ShadowCopy(route, target.FunctionName, call.RequestId, call.Payload, call.ClientContext, live));
    }

    /// <summary>During an A/B deployment of the alias, the version the call's key is assigned to (null: no split in force).</summary>
    private ExecutionTarget? StickyTarget(InvokeAnswer admission, InvocationCall call)
    {
        if (admission.Alias is not { } alias || _sticky?.Get(admission.Target!.FunctionName, alias) is not { } split)
        {
            return null;
        }

        var version = split.VersionFor(AbKeyReader.Read(split.Key, call.Header, call.Payload));
        var resolved = _routing.Current.Resolve(admission.Target.FunctionName, version.ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
        return resolved.Status == ResolveStatus.Found ? resolved.Target : null;
    }

    private static InvokeAnswer Refused(AdmissionStatus status, string detail) => new() { Admission = status, Detail = detail };
}
