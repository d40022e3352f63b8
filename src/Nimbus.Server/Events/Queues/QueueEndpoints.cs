using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Api;
using Nimbus.Core.Functions;
using Nimbus.Core.Queues;
using Nimbus.Server.Api;
using Nimbus.Server.Storage;

namespace Nimbus.Server.Events.Queues;

/// <summary>
/// Named queues: <c>PUT/GET/DELETE /api/v1/queues/{name}</c>, <c>GET /api/v1/queues</c>,
/// <c>POST /api/v1/queues/{name}/messages</c> (one message or up to 10) and <c>GET /api/v1/queues/{name}/dead-letters</c>.
/// </summary>
public static class QueueEndpoints
{
    /// <summary>SQS's limits: 256 KiB per message, ten messages per batch.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public const int MaxBatch = 10;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/queues", ListAsync);
        api.MapGet("/queues/{name}", GetAsync);
        api.MapPut("/queues/{name}", PutAsync);
        api.MapDelete("/queues/{name}", DeleteAsync);
        api.MapPost("/queues/{name}/messages", SendAsync);
        api.MapGet("/queues/{name}/dead-letters", DeadLettersAsync);
        MethodNotAllowed.Map(api, "/queues", "GET");
        MethodNotAllowed.Map(api, "/queues/{name}", "GET", "PUT", "DELETE");
        MethodNotAllowed.Map(api, "/queues/{name}/messages", "POST");
    }

    private static async Task<Ok<QueueInfo[]>> ListAsync(SqliteQueueStore queues, TimeProvider time, CancellationToken cancellationToken)
    {
        var infos = new List<QueueInfo>();
        foreach (var queue in await queues.ListQueuesAsync(cancellationToken))
        {
            infos.Add(await InfoAsync(queue, queues, time, cancellationToken));
        }

        return TypedResults.Ok(infos.ToArray());
    }

    private static async Task<Results<Ok<QueueInfo>, ProblemHttpResult>> GetAsync(
        string name, SqliteQueueStore queues, TimeProvider time, CancellationToken cancellationToken) =>
        await queues.GetQueueAsync(name, cancellationToken) is { } queue
            ? TypedResults.Ok(await InfoAsync(queue, queues, time, cancellationToken))
            : QueueNotFound(name);

    private static async Task<IResult> PutAsync(
        string name, QueueConfigRequest? body, SqliteQueueStore queues, INimbusStore functions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiProblems.Invalid([new("$", "must be a JSON object with the queue's settings ({\"visibilityTimeoutSeconds\": 30, ...}), not null or empty")],
                "Invalid queue configuration");
        }

        var config = body.ToConfig(name);
        var errors = QueueConfigValidator.Validate(config).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(EventSourceChecks.CheckConsumers(config, (await functions.ListFunctionsAsync(cancellationToken)).Select(f => f.Config)));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "Invalid queue configuration");
        }

        var created = await queues.PutQueueAsync(config, time.GetUtcNow(), cancellationToken);
        var info = await InfoAsync(config, queues, time, cancellationToken);
        return created ? TypedResults.Created($"/api/v1/queues/{name}", info) : TypedResults.Ok(info);
    }

    private static async Task<IResult> DeleteAsync(string name, SqliteQueueStore queues, INimbusStore functions, CancellationToken cancellationToken)
    {
        var consumers = (await functions.ListFunctionsAsync(cancellationToken))
            .Where(f => (f.Config.Sources ?? []).Any(s => s.Queue == name)).Select(f => f.Name).ToList();
        if (consumers.Count > 0)
        {
            return ApiProblems.Conflict("Queue in use",
                $"queue '{name}' is a source of {string.Join(", ", consumers)}; remove it from their sources first");
        }

        return await queues.DeleteQueueAsync(name, cancellationToken) ? TypedResults.NoContent() : QueueNotFound(name);
    }

    private static async Task<IResult> SendAsync(
        string name, SendMessageRequest? body, QueueSender sender, SqliteQueueStore queues, HttpContext context, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiProblems.Invalid([new("$", "must be a JSON object: {\"body\": \"...\"} or {\"messages\": [{\"body\": \"...\"}, ...]}")], "Invalid message");
        }

        var (requests, errors) = Read(body);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors, "Invalid message");
        }

        if (await queues.GetQueueAsync(name, cancellationToken) is null)
        {
            return QueueNotFound(name);
        }

        // A function sending with its own credentials is held to its policy's queue:send.
        if (Security.CallerPrincipal.Get(context) is { Kind: Core.Security.PrincipalKind.Function, FunctionName: { } caller }
            && await sender.AuthorizeAsync(caller, name, cancellationToken) is { } denied)
        {
            return TypedResults.Problem(denied, statusCode: StatusCodes.Status403Forbidden, title: "Access denied",
                extensions: new Dictionary<string, object?> { ["reason"] = "AccessDeniedException" });
        }

        var traceParent = context.Request.Headers["traceparent"].FirstOrDefault();
        var messages = requests.Select(r => new NewQueueMessage(r.Body!, r.MessageAttributes, r.DelaySeconds, traceParent)).ToList();
        if (context.RequestServices.GetService<Deployments.Shadow.ShadowCallers>()?.TrySuppress(context) == true)
        {
            // A shadow copy's sends are answered as accepted and not stored: it must have no side effects.
            return TypedResults.Ok(new SendMessageResult(
                messages.Select((m, i) => new SentMessage(i, m.MessageId, SqsEvent.Md5OfBody(m.Body))).ToList(), []));
        }

        var statuses = await sender.SendAsync(name, messages, cancellationToken);
        var successful = new List<SentMessage>();
        var failed = new List<FailedMessage>();
        for (var i = 0; i < statuses.Count; i++)
        {
            if (statuses[i] == SendStatus.Accepted)
            {
                successful.Add(new SentMessage(i, messages[i].MessageId, SqsEvent.Md5OfBody(messages[i].Body)));
            }
            else
            {
                failed.Add(new FailedMessage(i, nameof(SendStatus.QueueFull), $"queue '{name}' is full: it holds its maximumDepth of messages; consume or purge some, or raise maximumDepth"));
            }
        }

        if (body.Messages is null && failed.Count > 0)
        {
            return TypedResults.Problem(title: "Queue full", detail: failed[0].Message, statusCode: StatusCodes.Status429TooManyRequests);
        }

        return TypedResults.Ok(new SendMessageResult(successful, failed));
    }

    private static async Task<Results<Ok<QueueMessageInfo[]>, ProblemHttpResult>> DeadLettersAsync(
        string name, int? limit, SqliteQueueStore queues, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return ApiProblems.BadRequest("Invalid limit", $"limit must be between 1 and 1000, was {limit}");
        }

        if (await queues.GetQueueAsync(name, cancellationToken) is null)
        {
            return QueueNotFound(name);
        }

        var letters = await queues.ListDeadLettersAsync(name, limit ?? 100, cancellationToken);
        return TypedResults.Ok(letters.Select(QueueMessageInfo.From).ToArray());
    }

    private static (List<SendMessageRequest> Messages, List<ValidationError> Errors) Read(SendMessageRequest body)
    {
        var errors = new List<ValidationError>();
        if (body.Messages is { } batch && body.Body is not null)
        {
            errors.Add(new("$", "give either body (one message) or messages (a batch), not both"));
            return ([], errors);
        }

        List<SendMessageRequest> messages = body.Messages is { } list ? [.. list] : [body];
        if (messages.Count is 0 or > MaxBatch)
        {
            errors.Add(new("messages", $"must hold 1 to {MaxBatch} messages, held {messages.Count}"));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var at = body.Messages is null ? "" : $"messages[{i}].";
            if (messages[i] is not { } message)
            {
                errors.Add(new($"messages[{i}]", "must be an object with a body"));
                continue;
            }

            if (message.Body is null)
            {
                errors.Add(new($"{at}body", "is required: the message text"));
            }
            else if (System.Text.Encoding.UTF8.GetByteCount(message.Body) > MaxBodyBytes)
            {
                errors.Add(new($"{at}body", $"is {System.Text.Encoding.UTF8.GetByteCount(message.Body)} bytes; at most {MaxBodyBytes} (256 KiB) are allowed"));
            }

            if (message.DelaySeconds is < 0 or > QueueConfigValidator.MaxDelaySeconds)
            {
                errors.Add(new($"{at}delaySeconds", $"must be between 0 and {QueueConfigValidator.MaxDelaySeconds} seconds, was {message.DelaySeconds}"));
            }

            if (message.Messages is not null)
            {
                errors.Add(new($"{at}messages", "a message cannot hold messages"));
            }
        }

        return (messages, errors);
    }

    private static async Task<QueueInfo> InfoAsync(QueueConfig queue, SqliteQueueStore queues, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stats = await queues.StatsAsync(queue.Name, now, cancellationToken);
        return new QueueInfo(queue.Name, queue.VisibilityTimeoutSeconds, queue.RetentionSeconds, queue.DelaySeconds, queue.MaxReceiveCount,
            queue.MaximumDepth, stats.Depth, stats.Visible, stats.InFlight, stats.Delayed,
            stats.OldestSentAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : null, stats.DeadLettered);
    }

    private static ProblemHttpResult QueueNotFound(string name) =>
        ApiProblems.NotFound("Queue not found", $"Queue not found: {name}");
}
