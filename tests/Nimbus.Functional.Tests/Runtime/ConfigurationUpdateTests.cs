using System.Globalization;
using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Runtime;

/// <summary>Configuration changes while calls run, against a real server and real workers (defect #2 of issue 6).</summary>
public sealed class ConfigurationUpdateTests
{
    [Fact]
    public async Task ConfigurationUpdatesInALoop_WhileCallsRun_FailNoCall()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await nimbus.DeployNodeAsync("updated", environment: new() { ["REVISION"] = "0" });

        // Each update retires the pool of the previous revision while calls are cold-starting on it.
        var updater = Task.Run(async () =>
        {
            for (var i = 1; i <= 30; i++)
            {
                var put = await nimbus.Client.PutAsJsonAsync("/api/v1/functions/updated", new FunctionConfigRequest
                {
                    Runtime = "node",
                    Handler = "index.handler",
                    TimeoutSeconds = 10,
                    Environment = new() { ["REVISION"] = i.ToString(CultureInfo.InvariantCulture) },
                }, NimbusTestServer.Json);
                await NimbusTestServer.EnsureSuccessAsync(put, $"update {i}");
            }
        });
        var callers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var results = new List<InvokeResponse>();
            do
            {
                results.Add(await nimbus.InvokeAsync("updated", new { action = "echo" }));
            }
            while (!updater.IsCompleted);

            return results;
        })).ToArray();
        var calls = (await Task.WhenAll(callers)).SelectMany(r => r).ToList();
        await updater;

        Assert.True(calls.Count >= callers.Length, $"each caller makes at least one call, got {calls.Count}");
        Assert.All(calls, call => Assert.True(call.FunctionError is null, $"a call was failed by an update: {call}"));
    }
}
