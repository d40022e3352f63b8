using Microsoft.Extensions.Hosting;
using Nimbus.Core.Idempotency;
using Nimbus.Core.Invocations;
using Nimbus.Core.Routing;
using Nimbus.Server.Runtime;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Invocations;

/// <summary>
/// Built-in idempotency at the front door: before a function with <c>idempotency</c> runs, its key's record is claimed
/// (or its stored response returned, or a conflict reported); after it ran, a success is stored and anything else frees
/// the key. Applies to the invoke APIs (native and Lambda's) and async events; HTTP routes, hooks and shadow copies do
/// not take part (see docs/design/idempotency.md).
/// </summary>
public sealed class IdempotencyGuard : IHostedService
{
    private readonly SqliteIdempotencyStore _records;
    private readonly TimeProvider _time;

    public IdempotencyGuard(SqliteIdempotencyStore records, TimeProvider time)
    {
        _records = records;
        _time = time;
    }

    /// <summary>The entry points whose invocations use idempotency.</summary>
    public static bool Applies(InvocationSource source) =>
        source is InvocationSource.Api or InvocationSource.LambdaApi or InvocationSource.Async;

    /// <summary>In-progress records left in the file belong to a process that is gone: their keys are free again.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _records.ReleaseAbandonedAsync(_time.GetUtcNow(), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The claim for a call to an idempotent function, or what to answer instead of running it. <see cref="IdempotencyCheck.None"/>
    /// when the function has no idempotency, the entry point does not take part, or the event carries no key.
    /// </summary>
    public async Task<IdempotencyCheck> BeginAsync(ExecutionTarget target, InvocationCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(call);
        if (target.Config.Idempotency is not { } config || !Applies(call.Source)
            || !IdempotencyKeySource.TryParse(config.Key, out var source, out _)
            || IdempotencyKeyExtractor.Extract(source, call.Payload.Span, call.Header ?? (_ => null)) is not { } key)
        {
            return IdempotencyCheck.None;
        }

        var limit = TimeSpan.FromSeconds(target.Config.TimeoutSeconds) + Dispatcher.InitTimeout;
        var claim = IdempotencyPolicy.Claim(target.Config.Name, IdempotencyKeyExtractor.Hash(key), call.RequestId, _time.GetUtcNow(), limit);
        var (decision, existing) = await _records.ClaimAsync(claim, cancellationToken).ConfigureAwait(false);
        return decision switch
        {
            IdempotencyDecision.Run => new IdempotencyCheck(claim, null, false),
            IdempotencyDecision.ReturnStored => new IdempotencyCheck(null, existing, false),
            _ => new IdempotencyCheck(null, existing, true),
        };
    }

    /// <summary>Stores a success as the key's result, or frees the key after anything else (or when the run never ended).</summary>
    public Task EndAsync(ExecutionTarget target, IdempotencyRecord claim, InvocationResult? result)
    {
        ArgumentNullException.ThrowIfNull(target);
        var ttl = target.Config.Idempotency?.Ttl ?? TimeSpan.FromSeconds(IdempotencyConfig.DefaultTtlSeconds);
        var finished = result is null
            ? null
            : IdempotencyPolicy.Finish(claim, result.Outcome, result.Body, result.ExecutedVersion, ttl, _time.GetUtcNow());
        return _records.FinishAsync(claim, finished, CancellationToken.None);
    }

    /// <summary>The answer of a duplicate within the TTL: the stored response, under the caller's request id.</summary>
    public static InvocationResult Replay(IdempotencyRecord stored, string requestId) => new()
    {
        RequestId = requestId,
        Outcome = InvocationOutcome.Success,
        Body = stored.Response,
        ExecutedVersion = stored.ExecutedVersion,
        IdempotentReplayOf = stored.RequestId,
    };
}

/// <summary>What <see cref="IdempotencyGuard.BeginAsync"/> found: run under a claim, replay a stored record, or a conflict.</summary>
public sealed record IdempotencyCheck(IdempotencyRecord? Claim, IdempotencyRecord? Stored, bool Conflict)
{
    public static readonly IdempotencyCheck None = new(null, null, false);
}
