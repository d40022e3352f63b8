using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Core.Api;
using Nimbus.Core.Security;
using Nimbus.Core.Security.Policy;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Gateway;
using Nimbus.Server.Security;

namespace Nimbus.Functional.Tests.Security;

/// <summary>
/// A function calling another through the Lambda Invoke API is held to its policy. The principal is set on the request
/// as the authentication middleware sets it; everything behind it (gate, store, real workers) is the running server's.
/// </summary>
public sealed class FunctionInvokePolicyTests
{
    [Fact]
    public async Task LambdaInvoke_ByAFunction_IsAllowedOnlyByItsPolicy_AndEveryDecisionIsRecorded()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await nimbus.DeployNodeAsync("orders-api");
        await nimbus.DeployNodeAsync("billing");
        var callerConfig = new FunctionConfigRequest { Runtime = "node", Handler = "index.handler", Policy = [new("function:invoke", "orders*")] };
        await nimbus.DeployAsync("orders", RepoPaths.Fixture("behaviours-node"), callerConfig);
        var endpoint = ActivatorUtilities.CreateInstance<LambdaInvokeEndpoint>(nimbus.Server.Services);

        var allowed = await InvokeAsAsync(endpoint, nimbus, "orders", "orders-api");
        var denied = await InvokeAsAsync(endpoint, nimbus, "orders", "billing");
        var deniedAgain = await InvokeAsAsync(endpoint, nimbus, "orders", "billing");
        var byUser = await InvokeAsAsync(endpoint, nimbus, null, "billing");

        Assert.Equal((200, null), (allowed.Status, allowed.ErrorType));
        Assert.Equal((403, "AccessDeniedException"), (denied.Status, denied.ErrorType));
        Assert.Equal("User: function/orders is not authorized to perform: function:invoke on resource: billing",
            JsonDocument.Parse(denied.Body).RootElement.GetProperty("message").GetString());
        Assert.Equal(403, deniedAgain.Status);
        Assert.Equal(200, byUser.Status); // people are authorised by their role, not by a function's policy

        var suggestion = (await nimbus.Client.GetFromJsonAsync<PolicySuggestionInfo>("/api/v1/functions/orders/policy/suggestion", NimbusTestServer.Json))!;
        Assert.Equal([new("function:invoke", "billing"), new("function:invoke", "orders-api")], suggestion.Suggested);
        var billing = Assert.Single(suggestion.DeniedAttempts);
        Assert.Equal(("billing", 0L, 2L), (billing.Resource, billing.Allowed, billing.Denied));
        Assert.Equal(["orders-api"], Assert.Single(suggestion.Narrowable).UsedResources);
        var logs = await nimbus.LogsAsync("orders", "limit=20", l => l.Any(r => r.Stream == "platform"));
        Assert.Contains(logs, r => r.Message == "AccessDeniedException: User: function/orders is not authorized to perform: function:invoke on resource: billing");
    }

    [Fact]
    public async Task AccessGate_CountsEveryDecision()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        var counted = new List<(string Decision, long Value)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AccessGate.MeterName && instrument.Name == AccessGate.DecisionsCounter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "decision" && HasTag(tags, "function", "gate-test"))
                {
                    lock (counted)
                    {
                        counted.Add(((string)tag.Value!, value));
                    }
                }
            }
        });
        listener.Start();
        var gate = nimbus.Server.Services.GetRequiredService<IAccessGate>();

        var allow = await gate.CheckAsync("gate-test", "$LATEST", [new("queue:send", "emails")], PolicyActions.QueueSend, "emails", CancellationToken.None);
        var deny = await gate.CheckAsync("gate-test", "$LATEST", [new("queue:send", "emails")], PolicyActions.QueueSend, "sms", CancellationToken.None);

        Assert.True(allow.Allowed);
        Assert.False(deny.Allowed);
        Assert.Equal([("allow", 1L), ("deny", 1L)], counted);
    }

    private static bool HasTag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key, string value)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key && (string?)tag.Value == value)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<(int Status, string? ErrorType, string Body)> InvokeAsAsync(LambdaInvokeEndpoint endpoint, NimbusTestServer nimbus, string? caller, string target)
    {
        var body = Encoding.UTF8.GetBytes("""{"action":"echo"}""");
        var context = new DefaultHttpContext { RequestServices = nimbus.Server.Services };
        context.Request.Method = "POST";
        context.Request.Path = $"/2015-03-31/functions/{target}/invocations";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        var response = new MemoryStream();
        context.Response.Body = response;
        if (caller is not null)
        {
            CallerPrincipal.Set(context, new Principal(PrincipalKind.Function, "test-key", "function", FunctionName: caller));
        }

        await endpoint.HandleAsync(context, target);
        var errorType = context.Response.Headers["x-amzn-ErrorType"].ToString();
        return (context.Response.StatusCode, errorType.Length == 0 ? null : errorType, Encoding.UTF8.GetString(response.ToArray()));
    }
}
