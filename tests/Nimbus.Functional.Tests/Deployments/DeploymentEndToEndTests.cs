using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Deployments;
using Nimbus.Functional.Tests.Cli;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Deployments;
using Nimbus.Server.Telemetry;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Functional.Tests.Deployments;

/// <summary>
/// Deployments end to end: a real server in this process on fake time (so a canary's minutes pass on demand), real
/// node workers, real SQLite stores. Each "minute" the test calls the alias, lets the telemetry reach the metric
/// store, moves the clock and ticks the deployment loop, exactly as the timers would.
/// </summary>
public sealed class DeploymentEndToEndTests : IAsyncLifetime
{
    private const string Healthy = "exports.handler = async () => ({ build: 'BUILD' });\n";
    private const string Broken = "exports.handler = async () => { throw new Error('broken on purpose'); };\n";

    // Starts just past a minute boundary, so each advanced minute completes one alarm period.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 1, TimeSpan.Zero));
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "nimbus-deploy-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private NimbusTestServer _nimbus = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_workDirectory, "orders"));
        _nimbus = await NimbusTestServer.StartAsync(o => o with { TimeProvider = _time });
    }

    public async Task DisposeAsync()
    {
        await _nimbus.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    [Fact]
    public async Task Canary_HealthyNewVersion_CompletesAndTheAliasServesIt()
    {
        await CreateAsync("shop", Healthy.Replace("BUILD", "one", StringComparison.Ordinal));
        await NewVersionAsync("shop", Healthy.Replace("BUILD", "two", StringComparison.Ordinal));

        var started = await StartDeploymentAsync("shop", new { alias = "live", toVersion = "2", strategy = new { type = "canary", percent = 50, interval = "10m" } });
        Assert.Equal((DeploymentState.Shifting, 50.0), (started.State, started.NewVersionPercent));

        for (var minute = 0; minute < 10; minute++)
        {
            await MinuteAsync("shop:live", calls: 6);
        }

        var ended = await GetDeploymentAsync(started.Id);
        Assert.Equal(DeploymentStatus.Succeeded, ended.Status);
        var after = await _nimbus.InvokeAsync("shop:live", new { });
        Assert.Equal(("2", "two"), (after.ExecutedVersion, after.Json.GetProperty("build").GetString()));
    }

    [Fact]
    public async Task Canary_FailingNewVersion_IsRolledBackByItsErrorRateAlarm_AndCallersGetTheOldVersion()
    {
        await CreateAsync("cart", Healthy.Replace("BUILD", "one", StringComparison.Ordinal));
        await NewVersionAsync("cart", Broken);

        var started = await StartDeploymentAsync("cart", new { alias = "live", toVersion = "2", strategy = new { type = "canary", percent = 50, interval = "10m" } });
        for (var minute = 0; minute < 3; minute++)
        {
            Assert.Equal(DeploymentStatus.InProgress, (await GetDeploymentAsync(started.Id)).Status);
            await MinuteAsync("cart:live", calls: 20);
        }

        var ended = await GetDeploymentAsync(started.Id);
        Assert.Equal(DeploymentStatus.RolledBack, ended.Status);
        Assert.StartsWith("alarm 'cart-error-rate' is in ALARM on version 2", ended.Reason, StringComparison.Ordinal);
        for (var i = 0; i < 10; i++)
        {
            var response = await _nimbus.InvokeAsync("cart:live", new { });
            Assert.Equal(("1", null), (response.ExecutedVersion, response.FunctionError));
        }
    }

    [Fact]
    public async Task DeployWait_ExitsZeroWhenTheDeploymentSucceeds_AndFiveWhenItIsRolledBack()
    {
        var manifest = Path.Combine(_workDirectory, "nimbus.yaml");
        await File.WriteAllTextAsync(manifest, """
            functions:
              orders:
                runtime: node
                handler: index.handler
                code: ./orders
                alias: live
                deployment:
                  strategy: {type: canary, percent: 50, interval: 10m}
                  alarms: [default]
            """);
        var code = Path.Combine(_workDirectory, "orders", "index.js");
        await File.WriteAllTextAsync(code, Healthy.Replace("BUILD", "one", StringComparison.Ordinal));
        var first = await DeployAsync(manifest, wait: false);
        Assert.True(first.Exit == 0, first.Error);

        await File.WriteAllTextAsync(code, Healthy.Replace("BUILD", "two", StringComparison.Ordinal));
        var succeeded = await DeployWhileDrivingAsync(manifest, minutes: 10);
        Assert.True(succeeded.Exit == 0, succeeded.Out + succeeded.Error);
        Assert.Contains("InProgress (Shifting) step 1/2, version 2 at 50%", succeeded.Out, StringComparison.Ordinal);
        Assert.Contains("Succeeded step 2/2, version 2 at 100%", succeeded.Out, StringComparison.Ordinal);

        await File.WriteAllTextAsync(code, Broken);
        var rolledBack = await DeployWhileDrivingAsync(manifest, minutes: 10);
        Assert.True(rolledBack.Exit == 5, rolledBack.Out + rolledBack.Error);
        Assert.Contains("RolledBack step 1/2, version 3 at 0%: alarm 'orders-error-rate' is in ALARM on version 3", rolledBack.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AB_ByHeader_KeepsEachKeyOnOneVersion_AndCallersWithoutTheKeyOnTheOld()
    {
        await CreateAsync("promo", Healthy.Replace("BUILD", "one", StringComparison.Ordinal));
        await NewVersionAsync("promo", Healthy.Replace("BUILD", "two", StringComparison.Ordinal));
        await StartDeploymentAsync("promo", new { alias = "live", toVersion = "2", strategy = new { type = "ab", percent = 50, key = "header:X-User", duration = "1h" } });

        var seen = new Dictionary<string, HashSet<string>>();
        for (var round = 0; round < 3; round++)
        {
            for (var user = 0; user < 12; user++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/promo:live/invoke") { Content = JsonContent.Create(new { }) };
                request.Headers.Add("X-User", $"user-{user}");
                using var response = await _nimbus.Client.SendAsync(request);
                var version = string.Join(",", response.Headers.GetValues("X-Nimbus-Executed-Version"));
                (seen.TryGetValue($"user-{user}", out var versions) ? versions : seen[$"user-{user}"] = []).Add(version);
            }
        }

        Assert.All(seen.Values, versions => Assert.Single(versions));
        Assert.Equal(["1", "2"], seen.Values.Select(v => v.Single()).Distinct().Order());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("1", (await _nimbus.InvokeAsync("promo:live", new { })).ExecutedVersion);
        }
    }

    private Task<(int Exit, string Out, string Error)> DeployAsync(string manifest, bool wait) =>
        CliInProcess.RunAsync(["deploy", "-f", manifest, .. wait ? new[] { "--wait" } : [], "--url", _nimbus.Server.BaseAddress.ToString()], _workDirectory);

    /// <summary>Runs <c>deploy --wait</c> and, once its deployment is recorded, plays up to <paramref name="minutes"/> minutes of traffic until the CLI returns.</summary>
    private async Task<(int Exit, string Out, string Error)> DeployWhileDrivingAsync(string manifest, int minutes)
    {
        var before = (await ListDeploymentsAsync("orders")).Count;
        var deploy = DeployAsync(manifest, wait: true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await ListDeploymentsAsync("orders")).Count == before && !deploy.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        for (var minute = 0; minute < minutes && !deploy.IsCompleted; minute++)
        {
            if ((await ListDeploymentsAsync("orders"))[0].Status != DeploymentStatus.InProgress)
            {
                break;
            }

            await MinuteAsync("orders:live", calls: 20);
        }

        return await deploy.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task CreateAsync(string name, string source)
    {
        await File.WriteAllTextAsync(Path.Combine(_workDirectory, "orders", "index.js"), source);
        await _nimbus.DeployAsync(name, Path.Combine(_workDirectory, "orders"),
            new FunctionConfigRequest { Runtime = "node", Handler = "index.handler", TimeoutSeconds = 10 });
        await _nimbus.PublishAsync(name);
        await _nimbus.SetAliasAsync(name, "live", 1);
    }

    private async Task NewVersionAsync(string name, string source)
    {
        await File.WriteAllTextAsync(Path.Combine(_workDirectory, "orders", "index.js"), source);
        await _nimbus.UploadCodeAsync(name, DeterministicZip.Create(Path.Combine(_workDirectory, "orders")));
        await _nimbus.PublishAsync(name);
    }

    /// <summary>One minute of traffic: the calls, their telemetry stored, the clock moved, the loop ticked.</summary>
    private async Task MinuteAsync(string target, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            await _nimbus.InvokeAsync(target, new { });
        }

        var services = _nimbus.Server.Services;
        await services.GetRequiredService<TelemetryWriter>().FlushAsync(CancellationToken.None);
        await services.GetRequiredService<ObservabilityFlusher>().TickAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await services.GetRequiredService<DeploymentLoop>().TickAsync(_time.GetUtcNow(), CancellationToken.None);
    }

    private async Task<DeploymentInfo> StartDeploymentAsync(string name, object body)
    {
        var response = await _nimbus.Client.PostAsJsonAsync($"/api/v1/functions/{name}/deployments", body, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(response, $"deployment of {name}");
        return (await response.Content.ReadFromJsonAsync<DeploymentInfo>(NimbusTestServer.Json))!;
    }

    private async Task<DeploymentInfo> GetDeploymentAsync(string id) =>
        (await _nimbus.Client.GetFromJsonAsync<DeploymentInfo>($"/api/v1/deployments/{id}", NimbusTestServer.Json))!;

    private async Task<IReadOnlyList<DeploymentInfo>> ListDeploymentsAsync(string name) =>
        (await _nimbus.Client.GetFromJsonAsync<List<DeploymentInfo>>($"/api/v1/deployments?function={name}", NimbusTestServer.Json))!;
}
