using System.Net.Http.Json;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Api;

/// <summary>Named queues, event source mappings, and pausing schedules and sources.</summary>
internal sealed partial class ApiClient
{
    public Task<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<QueueInfo>>("api/v1/queues", cancellationToken);

    public Task<QueueInfo> GetQueueAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<QueueInfo>(QueuePath(name), cancellationToken);

    public Task<QueueInfo> PutQueueAsync(string name, QueueConfigRequest request, CancellationToken cancellationToken) =>
        SendAsync<QueueInfo>(HttpMethod.Put, QueuePath(name), JsonContent.Create(request, options: ApiJson.Options), cancellationToken);

    public Task<SendMessageResult> SendMessagesAsync(string name, SendMessageRequest request, CancellationToken cancellationToken) =>
        SendAsync<SendMessageResult>(HttpMethod.Post, QueuePath(name) + "/messages", JsonContent.Create(request, options: ApiJson.Options), cancellationToken);

    public Task<IReadOnlyList<QueueMessageInfo>> ListQueueDeadLettersAsync(string name, int limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<QueueMessageInfo>>($"{QueuePath(name)}/dead-letters?limit={limit}", cancellationToken);

    public Task<IReadOnlyList<EventSourceInfo>> ListSourcesAsync(string? function, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<EventSourceInfo>>(function is null ? "api/v1/sources" : $"api/v1/sources?function={Uri.EscapeDataString(function)}", cancellationToken);

    /// <param name="verb"><c>pause</c> or <c>resume</c>.</param>
    public Task<PauseResult> SetSourcesPausedAsync(string function, string? queue, string verb, CancellationToken cancellationToken) =>
        SendAsync<PauseResult>(HttpMethod.Post,
            $"{FunctionPath(function)}/sources/{verb}{(queue is null ? "" : $"?queue={Uri.EscapeDataString(queue)}")}", null, cancellationToken);

    /// <param name="verb"><c>pause</c> or <c>resume</c>.</param>
    public Task<PauseResult> SetSchedulesPausedAsync(string function, string verb, CancellationToken cancellationToken) =>
        SendAsync<PauseResult>(HttpMethod.Post, $"{FunctionPath(function)}/schedules/{verb}", null, cancellationToken);

    private static string QueuePath(string name) => $"api/v1/queues/{Uri.EscapeDataString(name)}";
}
