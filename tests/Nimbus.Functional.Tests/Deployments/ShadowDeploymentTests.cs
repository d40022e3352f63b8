using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Nimbus.Cli.Packaging;
using Nimbus.Core.Api;
using Nimbus.Core.Deployments;
using Nimbus.Core.Deployments.Shadow;
using Nimbus.Core.Security.Policy;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Deployments;

namespace Nimbus.Functional.Tests.Deployments;

/// <summary>
/// Shadow deployments end to end: a real server, real node workers, real SQLite. The alias keeps serving the old
/// version; a copy of each call (sync and async) runs on the new one in the background, and the deployment's report
/// counts how the copies compared. What the shadow does through Nimbus is answered and not done.
/// </summary>
public sealed class ShadowDeploymentTests : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "nimbus-shadow-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private NimbusTestServer _nimbus = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDirectory);
        _nimbus = await NimbusTestServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _nimbus.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    [Fact]
    public async Task ShadowTraffic_NeverChangesACallersResponse_AndTheReportCountsABehaviourDifference()
    {
        await CreateAsync("quote", "exports.handler = async (e) => ({ price: 10, n: e.n, build: 'one' });\n");
        // Same answer in another key order and number spelling for even n (the same behaviour); a failure for odd n.
        await NewVersionAsync("quote", """
            exports.handler = async (e) => {
              if (e.n % 2 === 1) { throw new Error('odd numbers break v2'); }
              return { build: 'one', n: e.n, price: 10.0 };
            };
            """);
        var deployment = await StartShadowAsync("quote");

        for (var n = 0; n < 4; n++)
        {
            var response = await _nimbus.InvokeAsync("quote:live", new { n });
            Assert.True(response.Status == System.Net.HttpStatusCode.OK, response.ToString());
            Assert.Equal(("1", null), (response.ExecutedVersion, response.FunctionError));
            Assert.Equal(n, response.Json.GetProperty("n").GetInt32());
        }

        // Async calls are mirrored too (n = 4 is the same on both, n = 5 fails on v2).
        for (var n = 4; n < 6; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/quote:live/invoke") { Content = JsonContent.Create(new { n }) };
            request.Headers.Add("X-Nimbus-Invocation-Type", "Event");
            using var accepted = await _nimbus.Client.SendAsync(request);
            await NimbusTestServer.EnsureSuccessAsync(accepted, "event to quote:live");
        }

        var report = await ReportWhenAsync(deployment.Id, r => r.Compared >= 6);
        Assert.Equal((6L, 6L, 3L, 3L, 0L, 0L, 0L), (report.Mirrored, report.Compared, report.Same, report.OutcomeDiffers, report.ErrorTypeDiffers,
            report.BodyDiffers, report.Dropped));
        Assert.All(report.Examples, e => Assert.Equal(ShadowDifference.OutcomeDiffers, e.Difference));
        Assert.Contains(report.Examples, e => e.Shadow.Contains("odd numbers break v2", StringComparison.Ordinal));
        Assert.NotNull(report.LiveP50Ms);
        Assert.NotNull(report.ShadowP99Ms);

        // Still the old version for every caller, and still in progress: a shadow ends only by promote or stop.
        var after = await GetAsync(deployment.Id);
        Assert.Equal((DeploymentStatus.InProgress, DeploymentState.Shifting), (after.Status, after.State));
        Assert.Equal("1", (await _nimbus.InvokeAsync("quote:live", new { n = 1 })).ExecutedVersion);
    }

    [Fact]
    public async Task ShadowCallsToOtherFunctions_AreSuppressedAndCounted_AndTheOtherFunctionNeverRuns()
    {
        await CreateAsync("ledger", "exports.handler = async () => ({ written: true });\n");
        var policy = new List<PolicyStatement> { new("function:invoke", "ledger") };
        await CreateAsync("checkout", "exports.handler = async () => ({ ok: true });\n", policy);
        await NewVersionAsync("checkout", """
            exports.handler = async () => {
              const url = `${process.env.AWS_ENDPOINT_URL_LAMBDA}/2015-03-31/functions/ledger/invocations`;
              const sync = await fetch(url, { method: 'POST', body: '{"amount":5}' });
              const event = await fetch(url, { method: 'POST', body: '{"amount":5}', headers: { 'X-Amz-Invocation-Type': 'Event' } });
              return { status: sync.status, suppressed: sync.headers.get('x-nimbus-shadow-suppressed'), body: await sync.text(), eventStatus: event.status };
            };
            """);
        var deployment = await StartShadowAsync("checkout");

        for (var i = 0; i < 2; i++)
        {
            var response = await _nimbus.InvokeAsync("checkout:live", new { });
            Assert.Equal(("1", true), (response.ExecutedVersion, response.Json.GetProperty("ok").GetBoolean()));
        }

        var report = await ReportWhenAsync(deployment.Id, r => r.Compared >= 2);
        Assert.Equal((2L, 2L, 4L), (report.Compared, report.BodyDiffers, report.SuppressedCalls));
        var example = report.Examples[0].Shadow;
        Assert.Contains("\"status\":200", example, StringComparison.Ordinal);
        Assert.Contains("\"suppressed\":\"true\"", example, StringComparison.Ordinal);
        Assert.Contains("\"body\":\"null\"", example, StringComparison.Ordinal);
        Assert.Contains("\"eventStatus\":202", example, StringComparison.Ordinal);
        Assert.Empty(await _nimbus.InstancesAsync("ledger"));

        // The same call made by a live (not shadow) execution is not suppressed: promote, and v2 really calls ledger.
        using var promoted = await _nimbus.Client.PostAsync($"/api/v1/deployments/{deployment.Id}/promote", null);
        await NimbusTestServer.EnsureSuccessAsync(promoted, "promote");
        await _nimbus.Server.Services.GetRequiredService<DeploymentLoop>().TickAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var live = await _nimbus.InvokeAsync("checkout:live", new { });
        Assert.Equal("2", live.ExecutedVersion);
        Assert.Equal("{\"written\":true}", live.Json.GetProperty("body").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, live.Json.GetProperty("suppressed").ValueKind);
    }

    private async Task<DeploymentInfo> StartShadowAsync(string name)
    {
        var response = await _nimbus.Client.PostAsJsonAsync($"/api/v1/functions/{name}/deployments",
            new { alias = "live", toVersion = "2", strategy = new { type = "shadow", percent = 100, duration = "1h" } }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(response, $"shadow deployment of {name}");
        var started = (await response.Content.ReadFromJsonAsync<DeploymentInfo>(NimbusTestServer.Json))!;
        Assert.Equal(DeploymentState.Shifting, started.State);
        Assert.Equal((0L, 0L), (started.Shadow!.Mirrored, started.Shadow.Compared));
        return started;
    }

    private async Task<ShadowReport> ReportWhenAsync(string id, Func<ShadowReport, bool> condition)
    {
        ShadowReport? report = null;
        var reached = await NimbusTestServer.EventuallyAsync(async () =>
        {
            report = (await GetAsync(id)).Shadow;
            return report is not null && condition(report);
        }, s_wait);
        Assert.True(reached, $"the shadow report did not get there: {report}");
        return report!;
    }

    private async Task<DeploymentInfo> GetAsync(string id) =>
        (await _nimbus.Client.GetFromJsonAsync<DeploymentInfo>($"/api/v1/deployments/{id}", NimbusTestServer.Json))!;

    private async Task CreateAsync(string name, string source, List<PolicyStatement>? policy = null)
    {
        var directory = WriteCode(name, source);
        await _nimbus.DeployAsync(name, directory, new FunctionConfigRequest { Runtime = "node", Handler = "index.handler", TimeoutSeconds = 10, Policy = policy });
        await _nimbus.PublishAsync(name);
        await _nimbus.SetAliasAsync(name, "live", 1);
    }

    private async Task NewVersionAsync(string name, string source)
    {
        await _nimbus.UploadCodeAsync(name, DeterministicZip.Create(WriteCode(name, source)));
        await _nimbus.PublishAsync(name);
    }

    private string WriteCode(string name, string source)
    {
        var directory = Path.Combine(_workDirectory, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "index.js"), source);
        return directory;
    }
}
