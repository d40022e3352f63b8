using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Queues;
using Nimbus.Server.Api;
using Nimbus.Server.Hosting;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>
/// Event source mappings: <c>GET /api/v1/sources[?function=NAME]</c>, and
/// <c>POST /api/v1/functions/{name}/sources/pause[?queue=NAME]</c> / <c>…/resume</c>. A pause takes effect at the
/// poller's next pass (batches already running finish); the messages wait in the queue.
/// </summary>
public static class EventSourceEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sources", ListAsync);
        api.MapPost("/functions/{name}/sources/pause", PauseAsync);
        api.MapPost("/functions/{name}/sources/resume", ResumeAsync);
    }

    private static async Task<Results<Ok<EventSourceInfo[]>, ProblemHttpResult>> ListAsync(
        string? function, INimbusStore store, SqlitePauseStore pauses, NimbusServerOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<FunctionRecord> functions;
        if (function is not null)
        {
            if (await store.GetFunctionAsync(function, cancellationToken) is not { } record)
            {
                return ApiProblems.FunctionNotFound(function);
            }

            functions = [record];
        }
        else
        {
            functions = await store.ListFunctionsAsync(cancellationToken);
        }

        var paused = await pauses.ListSourcePausesAsync(cancellationToken);
        var infos = functions
            .SelectMany(f => (f.Config.Sources ?? []).Select(s =>
            {
                var pausedAt = paused.TryGetValue((f.Name, s.Queue), out var at) ? at : (DateTimeOffset?)null;
                var state = pausedAt is not null ? "Paused" : s.Enabled ? "Enabled" : "Disabled";
                return new EventSourceInfo(f.Name, s.Queue, s.BatchSize, s.MaximumBatchingWindowInSeconds, s.EffectiveMaximumConcurrency,
                    s.ReportBatchItemFailures, s.Enabled, state, pausedAt, SqsEvent.QueueArn(options.Region, FunctionArn.AccountId, s.Queue));
            }))
            .OrderBy(i => i.FunctionName, StringComparer.Ordinal).ThenBy(i => i.Queue, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(infos);
    }

    private static async Task<Results<Ok<PauseResult>, ProblemHttpResult>> PauseAsync(
        string name, string? queue, INimbusStore store, SqlitePauseStore pauses, TimeProvider time, CancellationToken cancellationToken)
    {
        var (queues, problem) = await SourcesAsync(name, queue, store, cancellationToken);
        return problem ?? (Results<Ok<PauseResult>, ProblemHttpResult>)TypedResults.Ok(
            new PauseResult(await pauses.PauseSourcesAsync(name, queues, time.GetUtcNow(), cancellationToken)));
    }

    private static async Task<Results<Ok<PauseResult>, ProblemHttpResult>> ResumeAsync(
        string name, string? queue, INimbusStore store, SqlitePauseStore pauses, EventSourceSignal signal, CancellationToken cancellationToken)
    {
        // Resuming a source that is gone from the function still clears its pause, so a later redeploy does not find it paused.
        if (await store.GetFunctionAsync(name, cancellationToken) is null)
        {
            return ApiProblems.FunctionNotFound(name);
        }

        var resumed = await pauses.ResumeSourcesAsync(name, queue, cancellationToken);
        signal.Wake();
        return TypedResults.Ok(new PauseResult(resumed));
    }

    private static async Task<(IReadOnlyList<string> Queues, ProblemHttpResult? Problem)> SourcesAsync(
        string name, string? queue, INimbusStore store, CancellationToken cancellationToken)
    {
        if (await store.GetFunctionAsync(name, cancellationToken) is not { } function)
        {
            return ([], ApiProblems.FunctionNotFound(name));
        }

        var queues = (function.Config.Sources ?? []).Select(s => s.Queue).ToList();
        if (queue is not null && !queues.Contains(queue))
        {
            var has = queues.Count == 0 ? "it has no sources" : $"its sources are {string.Join(", ", queues)}";
            return ([], ApiProblems.NotFound("Source not found", $"function '{name}' does not consume queue '{queue}'; {has}"));
        }

        if (queues.Count == 0)
        {
            return ([], ApiProblems.NotFound("Source not found", $"function '{name}' has no sources to pause"));
        }

        return (queue is null ? queues : [queue], null);
    }
}
