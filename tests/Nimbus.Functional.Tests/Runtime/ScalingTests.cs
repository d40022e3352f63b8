using System.Net.Http.Json;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Runtime;

/// <summary>Scale to zero, provisioned (warm) instances and weighted aliases, against a real server.</summary>
public sealed class ScalingTests
{
    [Fact]
    public async Task IdleInstances_AreStoppedAfterTheIdleTimeout()
    {
        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        await nimbus.DeployNodeAsync("sleepy");
        await nimbus.InvokeAsync("sleepy", new { action = "echo" });
        var pid = Assert.Single(await nimbus.InstancesAsync("sleepy")).ProcessId;

        var scaledToZero = await NimbusTestServer.EventuallyAsync(async () => (await nimbus.InstancesAsync("sleepy")).Length == 0, TimeSpan.FromSeconds(15));

        Assert.True(scaledToZero, "the idle instance should have been stopped after 1 s idle");
        Assert.True(await NimbusTestServer.EventuallyAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(5)));
        Assert.True((await nimbus.InvokeAsync("sleepy", new { action = "echo" })).ColdStart);
    }

    [Fact]
    public async Task ProvisionedConcurrency_StartsInstancesBeforeTheFirstRequest()
    {
        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(1) });
        await nimbus.DeployNodeAsync("warm");
        var version = await nimbus.PublishAsync("warm");
        await nimbus.SetAliasAsync("warm", "live", version.Version);

        var put = await nimbus.Client.PutAsJsonAsync("/api/v1/functions/warm/provisioned-concurrency/live", new ProvisionedConcurrencyRequest(2), NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "provisioned concurrency");

        Assert.True(await NimbusTestServer.EventuallyAsync(async () => (await nimbus.InstancesAsync("warm")).Count(i => i.State == "Idle" && i.Provisioned) == 2, TimeSpan.FromSeconds(15)),
            "two provisioned instances should be warm before any request");
        var first = await nimbus.InvokeAsync("warm:live", new { action = "echo" });
        Assert.False(first.ColdStart, $"the first request must find a warm instance: {first}");
        Assert.Equal("1", first.ExecutedVersion);
        // That they stay past the idle timeout is InstanceMonitorTests' business, on a fake clock.
    }

    [Fact]
    public async Task WeightedAlias_SplitsTrafficInProportion()
    {
        await using var nimbus = await NimbusTestServer.StartAsync();
        await nimbus.DeployNodeAsync("split", environment: new() { ["COLOUR"] = "blue" });
        var blue = await nimbus.PublishAsync("split");
        await nimbus.DeployNodeAsync("split", environment: new() { ["COLOUR"] = "green" });
        var green = await nimbus.PublishAsync("split");
        await nimbus.SetAliasAsync("split", "live", blue.Version, green.Version, 0.3);

        const int calls = 400;
        var versions = new List<string?>();
        for (var i = 0; i < calls; i++)
        {
            versions.Add((await nimbus.InvokeAsync("split:live", new { action = "echo" })).ExecutedVersion);
        }

        var greenShare = versions.Count(v => v == green.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)) / (double)calls;
        Assert.Equal(calls, versions.Count(v => v == "1" || v == "2"));
        // Binomial(400, 0.3): standard deviation 0.023; ±0.08 is about 3.5 standard deviations.
        Assert.InRange(greenShare, 0.22, 0.38);
    }

    [Fact]
    public async Task Burst_StartsAtMostTheColdStartLimitAtOnce_AndServesEveryRequest()
    {
        await using var nimbus = await NimbusTestServer.StartAsync(o => o with { MaxConcurrentColdStarts = 2 });
        await nimbus.DeployNodeAsync("burst");
        var maxStarting = 0;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var starting = (await nimbus.InstancesAsync("burst")).Count(i => i.State == "Starting");
                maxStarting = Math.Max(maxStarting, starting);
                await Task.Delay(5);
            }
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => nimbus.InvokeAsync("burst", new { action = "sleep", ms = 300 })));
        watching.Cancel();
        await watcher;

        Assert.All(results, r => Assert.True(r.FunctionError is null, r.ToString()));
        Assert.InRange(maxStarting, 1, 2);
        // How many requests waited for an instance that went idle depends on start-up time against the sleep (the exact
        // cap is DispatcherTests' business, on a fake clock). What holds whatever the timing: each instance there is was
        // started by exactly one of these requests, and no request started one it did not use.
        Assert.Equal(results.Count(r => r.ColdStart), (await nimbus.InstancesAsync("burst")).Length);
    }
}
