using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Alarms;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>
/// Alarms, SLOs, runbooks and the timeline through the real CLI against a real server (real SQLite, real Kestrel, a
/// real webhook receiver). The server runs on a fake clock: nothing here invokes a function, and the notification
/// dispatcher runs when the test advances the clock.
/// </summary>
public sealed class AlarmsCliTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly string _project = Path.Combine(Path.GetTempPath(), "nimbus-alarms-cli-" + Guid.NewGuid().ToString("n")[..12]);
    private NimbusTestServer _nimbus = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_project);
        _nimbus = await NimbusTestServer.StartAsync(o => o with { TimeProvider = _time });
        _receiver = await WebhookReceiver.StartAsync();
        await WriteManifestAsync(threshold: 1);
        var deploy = await RunAsync("deploy", "-f", Path.Combine(_project, "nimbus.yaml"));
        Assert.True(deploy.Exit == 0, deploy.Error);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _nimbus.DisposeAsync();
        Directory.Delete(_project, recursive: true);
    }

    private Task WriteManifestAsync(int threshold) => File.WriteAllTextAsync(Path.Combine(_project, "nimbus.yaml"),
        $"""
        functions:
          shop:
            runtime: node
            handler: index.handler
            code: {RepoPaths.Fixture("behaviours-node")}
            alarms:
              - name: shop-errors
                metric: errors
                period: 10s
                evaluationPeriods: 3
                datapointsToAlarm: 2
                comparison: GreaterThanOrEqualToThreshold
                threshold: {threshold}
                treatMissingData: notBreaching
                notify: [webhook:{_receiver.Url}]
                runbook: https://wiki.example/shop
            defaultAlarms: {"{"}errorRate: {"{"}threshold: 2{"}"}, throttles: false{"}"}
            slos:
              - name: availability
                objective: 99.9
                window: 30d
              - {"{"}name: fast, latency: 300ms, objective: 99{"}"}
        """);

    private Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) =>
        CliInProcess.RunAsync([.. args, "--url", _nimbus.Server.BaseAddress.ToString()]);

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--output", "json"]);
        Assert.True(result.Exit == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    [Fact]
    public async Task Deploy_AppliesTheManifestsAlarmsAndSlos_ListGetHistoryShowThem()
    {
        var list = await JsonAsync("alarms", "list", "shop");
        Assert.Equal(
            [
                "shop-async-event-age", "shop-availability-page-1h", "shop-availability-page-6h", "shop-availability-ticket-3d", "shop-dead-lettered",
                "shop-duration", "shop-error-rate", "shop-errors", "shop-fast-page-1h", "shop-fast-page-6h", "shop-fast-ticket-3d", "shop-init-failures",
            ],
            list.EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        var alarm = await JsonAsync("alarms", "get", "shop-errors");
        Assert.Equal("INSUFFICIENT_DATA", alarm.GetProperty("state").GetString());
        Assert.Equal((10, 3, 2), (alarm.GetProperty("periodSeconds").GetInt32(), alarm.GetProperty("evaluationPeriods").GetInt32(), alarm.GetProperty("datapointsToAlarm").GetInt32()));
        Assert.Equal("https://wiki.example/shop", alarm.GetProperty("runbook").GetString());
        Assert.Equal($"webhook:{_receiver.Url}", alarm.GetProperty("notify")[0].GetString());
        Assert.False(alarm.GetProperty("isDefault").GetBoolean());
        Assert.Equal(2, (await JsonAsync("alarms", "get", "shop-error-rate")).GetProperty("threshold").GetDouble());

        var text = await RunAsync("alarms", "get", "shop-errors");
        Assert.Contains("Sum(errors) >= 1 for 2 of 3 x 10s", text.Out, StringComparison.Ordinal);
        Assert.Contains("https://wiki.example/shop", text.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await JsonAsync("alarms", "history", "shop-errors")).GetArrayLength());
        var missing = await RunAsync("alarms", "get", "no-such-alarm");
        Assert.Equal((4, "nimbus: Alarm not found: no-such-alarm"), (missing.Exit, missing.Error.Trim()));
        var missingHistory = await RunAsync("alarms", "history", "no-such-alarm");
        Assert.Equal(4, missingHistory.Exit);
        var unknownFunction = await RunAsync("alarms", "list", "no-such-function");
        Assert.Equal((4, "nimbus: Function not found: no-such-function"), (unknownFunction.Exit, unknownFunction.Error.Trim()));
    }

    [Fact]
    public async Task Plan_ShowsAChangedAlarm()
    {
        await WriteManifestAsync(threshold: 5);

        var plan = await RunAsync("plan", "-f", Path.Combine(_project, "nimbus.yaml"));

        Assert.True(plan.Exit == 0, plan.Error);
        var output = plan.Out + plan.Error;
        Assert.Contains("alarms.shop-errors", output, StringComparison.Ordinal);
        Assert.Contains("GreaterThanOrEqualToThreshold 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SloStatus_ShowsEachObjectiveWithItsWholeBudget()
    {
        var slos = await JsonAsync("slo", "status", "shop");

        Assert.Equal(["availability", "fast"], slos.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var availability = slos[0];
        Assert.Equal((99.9, "30d", 1.0, "OK"), (availability.GetProperty("objective").GetDouble(), availability.GetProperty("window").GetString(),
            availability.GetProperty("budgetRemaining").GetDouble(), availability.GetProperty("alertState").GetString()));
        Assert.Equal(["page-1h", "page-6h", "ticket-3d"], availability.GetProperty("burnRates").EnumerateArray().Select(b => b.GetProperty("rule").GetString()));
        Assert.Equal(300, slos[1].GetProperty("latencyMs").GetDouble());

        var table = await RunAsync("slo", "status");
        Assert.Contains("availability", table.Out, StringComparison.Ordinal);
        Assert.Contains("100%", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runbook_OwnUrlOrTheGeneratedOne()
    {
        var own = await RunAsync("runbook", "shop-errors");
        Assert.Equal("shop-errors: runbook at https://wiki.example/shop", own.Out.Trim());

        var generated = await RunAsync("runbook", "shop-error-rate");
        Assert.True(generated.Exit == 0, generated.Error);
        Assert.StartsWith("# Runbook: shop-error-rate", generated.Out, StringComparison.Ordinal);
        Assert.Contains("timeout 3 s, memory 128 MB", generated.Out, StringComparison.Ordinal);
        Assert.Contains("function shop created", generated.Out, StringComparison.Ordinal);
        Assert.Contains("`nimbus rollback shop`", generated.Out, StringComparison.Ordinal);
        Assert.Contains("`nimbus logs shop --since 1h --level ERROR`", generated.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MuteAndUnmute_SetAndClearTheWindow()
    {
        var muted = await JsonAsync("alarms", "mute", "shop-errors", "--for", "2h");
        Assert.Equal(T0.AddHours(2), muted.GetProperty("mutedUntil").GetDateTimeOffset());

        var noDuration = await RunAsync("alarms", "mute", "shop-errors");
        Assert.Equal((2, "nimbus: alarms mute needs --for DURATION (e.g. --for 2h)"), (noDuration.Exit, noDuration.Error.Trim()));
        var badDuration = await RunAsync("alarms", "mute", "shop-errors", "--for", "forever");
        Assert.Equal(2, badDuration.Exit);
        Assert.Contains("'for' must be a duration above zero and at most 30d", badDuration.Error, StringComparison.Ordinal);

        var unmuted = await JsonAsync("alarms", "unmute", "shop-errors");
        Assert.Equal(JsonValueKind.Null, unmuted.GetProperty("mutedUntil").ValueKind);
        Assert.Equal(4, (await RunAsync("alarms", "unmute", "no-such-alarm")).Exit);
    }

    [Fact]
    public async Task Test_SendsASignedTestNotificationThatIsRecordedAsDelivered()
    {
        var test = await RunAsync("alarms", "test", "shop-errors");
        Assert.True(test.Exit == 0, test.Error);
        Assert.Contains($"queued for webhook:{_receiver.Url}", test.Out, StringComparison.Ordinal);

        // The dispatcher's timer runs on the fake clock: advance it until the receiver has the request.
        for (var i = 0; i < 400 && _receiver.Requests.IsEmpty; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(25);
        }

        var request = Assert.Single(_receiver.Requests);
        var secret = Convert.FromHexString(await File.ReadAllTextAsync(Path.Combine(_nimbus.DataDirectory, "webhook-secret")));
        var timestamp = long.Parse(request.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(secret, timestamp, request.Body, request.Headers[WebhookSignature.SignatureHeader]));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(("alarm.test", "shop-errors", "https://wiki.example/shop"),
            (body.RootElement.GetProperty("event").GetString(), body.RootElement.GetProperty("alarm").GetString(), body.RootElement.GetProperty("runbook").GetString()));

        var deliveries = await JsonAsync("alarms", "notifications", "shop-errors");
        Assert.Equal("delivered", deliveries[0].GetProperty("status").GetString());

        var noTargets = await RunAsync("alarms", "test", "shop-duration");
        Assert.NotEqual(0, noTargets.Exit);
        Assert.Contains("has nothing to notify", noTargets.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_ShowsTheDeployOfTheFunction()
    {
        var events = await JsonAsync("timeline", "shop", "--since", "1h");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("kind").GetString() == "function.created" && e.GetProperty("function").GetString() == "shop");

        var bad = await RunAsync("timeline", "shop", "--since", "yesterday-ish");
        Assert.Equal(2, bad.Exit);
        Assert.Equal(4, (await RunAsync("timeline", "no-such-function")).Exit);
    }

    [Fact]
    public async Task Api_RefusesBadInputWithProblemDetails()
    {
        var badAlarm = await _nimbus.Client.PutAsJsonAsync("/api/v1/functions/shop-bad", new
        {
            runtime = "node",
            handler = "index.handler",
            alarms = new[] { new { name = "x", metric = "errors", comparison = "GreaterThanThreshold", threshold = 1, period = "45s" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badAlarm.StatusCode);
        var problem = await badAlarm.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("alarms[0].period", out _), problem.ToString());

        var badMute = await _nimbus.Client.PostAsJsonAsync("/api/v1/alarms/shop-errors/mute", new { @for = "0s" });
        Assert.Equal(HttpStatusCode.BadRequest, badMute.StatusCode);
        Assert.Equal("application/problem+json", badMute.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/slos?function=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _nimbus.Client.GetAsync("/api/v1/timeline?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/alarms/nope/runbook")).StatusCode);

        var health = await _nimbus.Client.GetFromJsonAsync<JsonElement>("/api/v1/functions/shop/health?version=1");
        Assert.False(health.GetProperty("anyInAlarm").GetBoolean());
        Assert.Equal(1.0, health.GetProperty("budget").GetProperty("remainingFraction").GetDouble());
    }
}
