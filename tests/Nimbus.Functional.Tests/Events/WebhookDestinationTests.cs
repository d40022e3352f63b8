using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nimbus.Core.Api;
using Nimbus.Core.Events;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Events;

/// <summary>A real server with a real node worker sends a failed event's invocation record to a real HTTP listener, signed.</summary>
public sealed class WebhookDestinationTests : IClassFixture<SharedServer>
{
    private readonly HttpClient _client;

    public WebhookDestinationTests(SharedServer shared) => _client = shared.Nimbus.Client;

    [Fact]
    public async Task OnFailureWebhook_ReceivesTheSignedInvocationRecord_AndTheDeliveryIsListed()
    {
        var received = new ConcurrentQueue<(byte[] Body, string Signature, long Timestamp)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var listener = builder.Build();
        listener.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((body.ToArray(), context.Request.Headers[WebhookSignature.SignatureHeader].ToString(),
                long.Parse(context.Request.Headers[WebhookSignature.TimestampHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture)));
        });
        await listener.StartAsync();
        var url = listener.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        await RecorderFunction.DeployAsync(_client, "hook-fail", new AsyncConfig { MaximumRetryAttempts = 0, OnFailure = $"webhook:{url}" }, fail: true);
        var secret = (await _client.GetFromJsonAsync<WebhookSecretInfo>("/api/v1/functions/hook-fail/webhook-secret", NimbusTestServer.Json))!.Secret;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/hook-fail/invoke")
        {
            Content = new StringContent("""{"tag":"w"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
        using var accepted = await _client.SendAsync(request);
        var requestId = accepted.Headers.GetValues(NimbusHeaders.RequestId).Single();

        await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!received.IsEmpty), TimeSpan.FromSeconds(30));
        var (body, signature, timestamp) = Assert.Single(received);
        Assert.True(WebhookSignature.Verify(secret, timestamp, body, signature), "the delivery's signature does not verify with the function's secret");
        using var record = JsonDocument.Parse(body);
        Assert.Equal(requestId, record.RootElement.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.Equal("RetriesExhausted", record.RootElement.GetProperty("requestContext").GetProperty("condition").GetString());
        Assert.Equal("Unhandled", record.RootElement.GetProperty("responseContext").GetProperty("functionError").GetString());
        Assert.Equal("w", record.RootElement.GetProperty("requestPayload").GetProperty("tag").GetString());

        await NimbusTestServer.EventuallyAsync(async () =>
        {
            var deliveries = await _client.GetFromJsonAsync<JsonElement>("/api/v1/functions/hook-fail/deliveries", NimbusTestServer.Json);
            return deliveries.GetArrayLength() == 1 && deliveries[0].GetProperty("state").GetString() == WebhookDelivery.Delivered
                && deliveries[0].GetProperty("attempts")[0].GetProperty("statusCode").GetInt32() == 200;
        }, TimeSpan.FromSeconds(10));
        var dlq = await _client.GetFromJsonAsync<JsonElement>("/api/v1/functions/hook-fail/dlq", NimbusTestServer.Json);
        Assert.Equal(0, dlq.GetArrayLength());
    }
}
