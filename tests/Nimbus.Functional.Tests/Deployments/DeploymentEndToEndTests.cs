using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Deployments;
using Nimbus.Functional.Tests.Cli;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Alarms.Notifications;
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
        Assert.Contains("InProgress (Shifting) step 1/2  live: v1 50% / v2 50%", succeeded.Out, StringComparison.Ordinal);
        Assert.Contains("Succeeded step 2/2  live: v2 100%  alarms: orders-error-rate OK", succeeded.Out, StringComparison.Ordinal);

        await File.WriteAllTextAsync(code, Broken);
        var rolledBack = await DeployWhileDrivingAsync(manifest, minutes: 10);
        Assert.True(rolledBack.Exit == 5, rolledBack.Out + rolledBack.Error);
        Assert.Contains("RolledBack step 1/2  live: v2 100%  alarms: orders-error-rate ALARM", rolledBack.Out, StringComparison.Ordinal);
        Assert.Contains("; alarm 'orders-error-rate' is in ALARM on version 3", rolledBack.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// The "done when": the example orders function deployed with a canary, its next version broken on purpose,
    /// <c>nimbus deploy --wait</c> shows the canary shift, the new version's error-rate alarm (10-second periods, the
    /// shortest allowed) rolls it back, and the reason is on <c>nimbus timeline</c> and in the webhook's notification.
    /// </summary>
    [Fact]
    public async Task Walkthrough_BrokenCanaryOfTheExample_IsRolledBackByItsAlarm_WithTheReasonOnTheTimelineAndInANotification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var manifest = Path.Combine(_workDirectory, "nimbus.yaml");
        await File.WriteAllTextAsync(manifest, $$$"""
            functions:
              orders:
                runtime: node
                handler: index.handler
                code: ./orders
                timeout: 5
                alias: live
                defaultAlarms: {errorRate: {period: 10s, notify: ["webhook:{{{receiver.Url}}}"]}}
                deployment:
                  strategy: {type: canary, percent: 50, interval: 10m}
                  alarms: [default]
            """);
        var code = Path.Combine(_workDirectory, "orders", "index.js");
        File.Copy(Path.Combine(RepoPaths.Root, "examples", "orders", "index.js"), code, overwrite: true);
        var first = await DeployAsync(manifest, wait: false);
        Assert.True(first.Exit == 0, first.Out + first.Error);

        await File.AppendAllTextAsync(code, "\nexports.handler = async () => { throw new Error('broken on purpose'); };\n");
        var deploy = await DeployWhileDrivingAsync(manifest, periods: 6, period: TimeSpan.FromSeconds(10));

        Assert.True(deploy.Exit == 5, deploy.Out + deploy.Error);
        Assert.Contains("InProgress (Shifting) step 1/2  live: v1 50% / v2 50%", deploy.Out, StringComparison.Ordinal);
        Assert.Contains("RolledBack step 1/2  live: v1 100%  alarms: orders-error-rate ALARM", deploy.Out, StringComparison.Ordinal);
        var reason = (await ListDeploymentsAsync("orders"))[0].Reason!;
        Assert.StartsWith("alarm 'orders-error-rate' is in ALARM on version 2: Threshold Crossed: 3 out of the last 3 datapoints", reason, StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            var response = await _nimbus.InvokeAsync("orders:live", new { });
            Assert.Equal(("1", null), (response.ExecutedVersion, response.FunctionError));
        }

        var timeline = await CliInProcess.RunAsync(["timeline", "orders", "--url", _nimbus.Server.BaseAddress.ToString()], _workDirectory);
        Assert.True(timeline.Exit == 0, timeline.Error);
        Assert.Contains("deployment.started", timeline.Out, StringComparison.Ordinal);
        Assert.Contains("deployment.step", timeline.Out, StringComparison.Ordinal);
        Assert.Contains("deployment.rolledBack", timeline.Out, StringComparison.Ordinal);
        Assert.Contains(reason, timeline.Out, StringComparison.Ordinal);

        await _nimbus.Server.Services.GetRequiredService<NotificationDispatcher>().DeliverDueAsync(_time.GetUtcNow(), CancellationToken.None);
        var notification = await ReceivedAsync(receiver, "deployment.rolledBack");
        Assert.Equal("orders-error-rate", notification.RootElement.GetProperty("alarm").GetString());
        Assert.Equal(reason, notification.RootElement.GetProperty("reason").GetString());
        Assert.Equal(("live", "1", "2"), (
            notification.RootElement.GetProperty("deployment").GetProperty("alias").GetString(),
            notification.RootElement.GetProperty("deployment").GetProperty("fromVersion").GetString(),
            notification.RootElement.GetProperty("deployment").GetProperty("toVersion").GetString()));
    }

    [Fact]
    public async Task FreezeWindow_RefusesADeploymentWithA409NamingIt_ForcePassesIt_AndRemovingItLiftsIt()
    {
        await CreateAsync("shop", Healthy.Replace("BUILD", "one", StringComparison.Ordinal));
        await NewVersionAsync("shop", Healthy.Replace("BUILD", "two", StringComparison.Ordinal));
        await NewVersionAsync("shop", Healthy.Replace("BUILD", "three", StringComparison.Ordinal));
        var now = _time.GetUtcNow();
        var add = await CliInProcess.RunAsync(
            ["freeze", "add", "--start", Iso(now.AddMinutes(-1)), "--end", Iso(now.AddHours(1)), "--reason", "holidays", "--function", "shop",
                "--output", "json", "--url", _nimbus.Server.BaseAddress.ToString()], _workDirectory);
        Assert.True(add.Exit == 0, add.Error);
        var id = JsonDocument.Parse(add.Out).RootElement.GetProperty("id").GetString()!;

        var refused = await _nimbus.Client.PostAsJsonAsync("/api/v1/functions/shop/deployments",
            new { alias = "live", toVersion = "2", strategy = "AllAtOnce" }, NimbusTestServer.Json);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Deployments frozen", problem.GetProperty("title").GetString());
        Assert.Contains($"freeze window {id} (holidays) until", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, problem.GetProperty("freezeWindowId").GetString());

        var forced = await StartDeploymentAsync("shop", new { alias = "live", toVersion = "2", strategy = "AllAtOnce", force = true });
        Assert.Equal(DeploymentStatus.Succeeded, forced.Status);

        var remove = await CliInProcess.RunAsync(["freeze", "remove", id, "--url", _nimbus.Server.BaseAddress.ToString()], _workDirectory);
        Assert.True(remove.Exit == 0, remove.Error);
        var after = await StartDeploymentAsync("shop", new { alias = "live", toVersion = "3", strategy = "AllAtOnce" });
        Assert.Equal(DeploymentStatus.Succeeded, after.Status);
    }

    [Fact]
    public async Task FreezeWindow_BadInput_IsA400NamingTheField()
    {
        var response = await _nimbus.Client.PostAsJsonAsync("/api/v1/freeze-windows",
            new { start = "2026-12-24T00:00Z", end = "2026-12-23T00:00Z", reason = "holidays" }, NimbusTestServer.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("must be after start", problem.GetProperty("errors").GetProperty("end")[0].GetString(), StringComparison.Ordinal);
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

    private static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first notification of <paramref name="event"/> the receiver got (delivery is the dispatcher's, so it may
    /// still be on its way: waits up to 10 s).</summary>
    private static async Task<JsonDocument> ReceivedAsync(WebhookReceiver receiver, string @event)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            foreach (var request in receiver.Requests)
            {
                var body = JsonDocument.Parse(request.Body);
                if (body.RootElement.GetProperty("event").GetString() == @event)
                {
                    return body;
                }

                body.Dispose();
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {@event} notification reached the webhook; got {receiver.Requests.Count} others");
            await Task.Delay(50);
        }
    }

    private Task<(int Exit, string Out, string Error)> DeployAsync(string manifest, bool wait) =>
        CliInProcess.RunAsync(["deploy", "-f", manifest, .. wait ? new[] { "--wait" } : [], "--url", _nimbus.Server.BaseAddress.ToString()], _workDirectory);

    /// <summary>Runs <c>deploy --wait</c> and, once its deployment is recorded, plays up to <paramref name="minutes"/> minutes of traffic until the CLI returns.</summary>
    private Task<(int Exit, string Out, string Error)> DeployWhileDrivingAsync(string manifest, int minutes) =>
        DeployWhileDrivingAsync(manifest, minutes, TimeSpan.FromMinutes(1));

    private async Task<(int Exit, string Out, string Error)> DeployWhileDrivingAsync(string manifest, int periods, TimeSpan period)
    {
        var before = (await ListDeploymentsAsync("orders")).Count;
        var deploy = DeployAsync(manifest, wait: true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await ListDeploymentsAsync("orders")).Count == before && !deploy.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        for (var i = 0; i < periods && !deploy.IsCompleted; i++)
        {
            if ((await ListDeploymentsAsync("orders"))[0].Status != DeploymentStatus.InProgress)
            {
                break;
            }

            await PlayAsync("orders:live", calls: 20, period);
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
    private Task MinuteAsync(string target, int calls) => PlayAsync(target, calls, TimeSpan.FromMinutes(1));

    /// <summary>One period of traffic: the calls, their telemetry stored, the clock moved by <paramref name="period"/>, the loop ticked.</summary>
    private async Task PlayAsync(string target, int calls, TimeSpan period)
    {
        for (var i = 0; i < calls; i++)
        {
            await _nimbus.InvokeAsync(target, new { });
        }

        var services = _nimbus.Server.Services;
        await services.GetRequiredService<TelemetryWriter>().FlushAsync(CancellationToken.None);
        await services.GetRequiredService<ObservabilityFlusher>().TickAsync(CancellationToken.None);
        _time.Advance(period);
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
