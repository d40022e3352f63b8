using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Nimbus.Core.Api;

namespace Nimbus.Cli.Api;

/// <summary>Async invocation and the dead-letter queue (kept apart from the sync calls).</summary>
internal sealed partial class ApiClient
{
    /// <summary>Queues an event for <paramref name="name"/>; returns the request id once the server has committed it (202).</summary>
    public async Task<string> InvokeEventAsync(string name, string? qualifier, byte[] payload, CancellationToken cancellationToken)
    {
        var path = FunctionPath(name) + "/invoke" + (qualifier is null ? "" : $"?qualifier={Uri.EscapeDataString(qualifier)}");
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        using var response = await SendCoreAsync(request, ManagementTimeout, cancellationToken);
        return Header(response, NimbusHeaders.RequestId)
            ?? throw new CliException($"the server accepted the event for {name} without a request id", ExitCodes.Failed);
    }

    public Task<IReadOnlyList<DeadLetterInfo>> ListDeadLettersAsync(string name, int limit, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<DeadLetterInfo>>($"{FunctionPath(name)}/dlq?limit={limit}", cancellationToken);

    public Task<DeadLetterInfo> GetDeadLetterAsync(string name, string id, CancellationToken cancellationToken) =>
        GetAsync<DeadLetterInfo>($"{FunctionPath(name)}/dlq/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<DeadLetterCount> RedriveAsync(string name, string? id, CancellationToken cancellationToken) =>
        SendAsync<DeadLetterCount>(HttpMethod.Post, $"{FunctionPath(name)}/dlq/redrive",
            JsonContent.Create(new RedriveRequest(id, id is null), options: ApiJson.Options), cancellationToken);

    public Task<DeadLetterCount> PurgeDeadLettersAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<DeadLetterCount>(HttpMethod.Delete, $"{FunctionPath(name)}/dlq", null, cancellationToken);

    /// <summary>For <c>--output json</c>: the dead letter's payload as JSON when it is JSON.</summary>
    public static object PayloadAsJson(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return payload;
        }
    }
}
