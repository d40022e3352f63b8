using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nimbus.Core.Alarms;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;
using Nimbus.Server.Alarms;
using Nimbus.Server.Telemetry;
using Nimbus.Server.Telemetry.Metrics;

namespace Nimbus.Functional.Tests.Cli;

/// <summary>
/// The alarms issue's "done when", end to end: a function deployed by the real CLI from a manifest, reconfigured by a
/// second identity (so the change is on the timeline with who made it), then broken for real (a node worker that
/// throws). The server runs on a fake clock; the alarm evaluation loop and the notification dispatcher run on their own
/// timers as the test moves the clock, and a real local webhook receiver gets the signed notification.
/// </summary>
public sealed class AlarmNotificationEndToEndTests : IAsyncLifetime
{
    // One second past a 10-second boundary: each 10 s the clock moves completes one alarm period.
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 1, TimeSpan.Zero);
    private const string Code = "exports.handler = async () => { if (process.env.MODE === 'broken') throw new Error('broken on purpose'); return { ok: true }; };\n";

    private readonly FakeTimeProvider _time = new(T0);
    private readonly string _project = Path.Combine(Path.GetTempPath(), "nimbus-alarm-e2e-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly SemaphoreSlim _passes = new(0);
    private readonly List<AlarmTransition> _transitions = [];
    private NimbusTestServer _nimbus = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_project, "shop"));
        await File.WriteAllTextAsync(Path.Combine(_project, "shop", "index.js"), Code);
        _nimbus = await NimbusTestServer.StartAsync(o => o with { TimeProvider = _time });
        _receiver = await WebhookReceiver.StartAsync();
        _nimbus.Server.Services.GetRequiredService<AlarmEvaluationLoop>().Evaluated += transitions =>
        {
            lock (_transitions)
            {
                _transitions.AddRange(transitions);
            }

            _passes.Release();
        };
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _nimbus.DisposeAsync();
        _passes.Dispose();
        Directory.Delete(_project, recursive: true);
    }

    [Fact]
    public async Task BreakingAFunction_AlarmsAndSendsASignedNotificationNamingTheChangeBeforeIt_AndTheSloBudgetBurns()
    {
        await File.WriteAllTextAsync(Path.Combine(_project, "nimbus.yaml"), $"""
            functions:
              shop:
                runtime: node
                handler: index.handler
                code: ./shop
                alarms:
                  - name: shop-errors
                    metric: errors
                    period: 10s
                    comparison: GreaterThanOrEqualToThreshold
                    threshold: 1
                    treatMissingData: notBreaching
                    notify: [webhook:{_receiver.Url}]
                    runbook: https://wiki.example/shop
            """);
        var deploy = await CliAsync("deploy", "-f", Path.Combine(_project, "nimbus.yaml"));
        Assert.True(deploy.Exit == 0, deploy.Out + deploy.Error);
        await InvokeAsync(calls: 10, expectError: false);

        // 12:00:11 judges the healthy 12:00:00 period, 12:00:21 the empty 12:00:10 one: shop-errors settles OK.
        await PassAsync();
        await PassAsync();
        Assert.Equal("OK", (await JsonAsync("alarms", "get", "shop-errors")).GetProperty("state").GetString());

        // The change that precedes the alarm, made by another identity than the CLI's.
        var ops = await _nimbus.CreateIdentityAsync("deployer");
        using var opsClient = _nimbus.ClientWithToken(ops.Token!);
        var put = await opsClient.PutAsJsonAsync("/api/v1/functions/shop", new FunctionConfigRequest
        {
            Runtime = "node",
            Handler = "index.handler",
            Environment = new() { ["MODE"] = "broken" },
            Alarms =
            [
                new AlarmConfig
                {
                    Name = "shop-errors", Metric = "errors", Period = "10s", Comparison = "GreaterThanOrEqualToThreshold", Threshold = 1,
                    TreatMissingData = "notBreaching", Notify = [$"webhook:{_receiver.Url}"], Runbook = "https://wiki.example/shop",
                },
            ],
        }, NimbusTestServer.Json);
        await NimbusTestServer.EnsureSuccessAsync(put, "the configuration change");
        await InvokeAsync(calls: 5, expectError: true);

        // 12:00:31: the 12:00:20 period holds the 5 errors.
        await PassAsync();
        lock (_transitions)
        {
            Assert.Contains(_transitions, t => (t.Alarm, t.OldState, t.NewState) == ("shop-errors", AlarmState.Ok, AlarmState.Alarm));
        }

        var alarm = await JsonAsync("alarms", "get", "shop-errors");
        Assert.Equal("ALARM", alarm.GetProperty("state").GetString());

        // The dispatcher delivers on its own 1 s timer: move the clock until the receiver has the request.
        for (var i = 0; i < 9 && !_receiver.Requests.Any(r => r.Body.Contains("\"newState\":\"ALARM\"", StringComparison.Ordinal)); i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            for (var wait = 0; wait < 80 && _receiver.Requests.IsEmpty; wait++)
            {
                await Task.Delay(25);
            }
        }

        var request = _receiver.Requests.First(r => r.Body.Contains("\"newState\":\"ALARM\"", StringComparison.Ordinal));
        var secret = Convert.FromHexString((await File.ReadAllTextAsync(Path.Combine(_nimbus.DataDirectory, "webhook-secret"))).Trim());
        var timestamp = long.Parse(request.Headers["X-Nimbus-Timestamp"], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(secret, timestamp, request.Body, request.Headers["X-Nimbus-Signature"]));
        Assert.False(WebhookSignature.Verify(secret, timestamp + 1, request.Body, request.Headers["X-Nimbus-Signature"]));
        Assert.False(string.IsNullOrEmpty(request.Headers["X-Nimbus-Delivery-Id"]));

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(("alarm.transition", "shop-errors", "shop", "OK", "ALARM", "https://wiki.example/shop"),
            (root.GetProperty("event").GetString(), root.GetProperty("alarm").GetString(), root.GetProperty("function").GetString(),
                root.GetProperty("oldState").GetString(), root.GetProperty("newState").GetString(), root.GetProperty("runbook").GetString()));
        Assert.StartsWith("Threshold Crossed: 1 out of the last 1 datapoint [5.0 (01/12/26 12:00:20)]", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var changes = root.GetProperty("recentChanges").EnumerateArray()
            .Select(c => (At: c.GetProperty("timestamp").GetDateTimeOffset(), Kind: c.GetProperty("kind").GetString(), Summary: c.GetProperty("summary").GetString()!))
            .ToList();
        var changedAt = T0.AddSeconds(20);
        Assert.Contains(changes, c => c.At == changedAt && c.Kind == "function.updated" && c.Summary.StartsWith("function shop updated", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.At == changedAt && c.Kind == "audit.action"
            && c.Summary == $"function:deploy PUT /api/v1/functions/shop by {ops.Identity.Id} (deployer)");
        Assert.Contains("broken on purpose", root.GetProperty("recentErrors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // The default availability objective (nothing declared it): 5 of 15 failed, far over a 99.9 % budget.
        var slo = Assert.Single((await JsonAsync("slo", "status", "shop")).EnumerateArray());
        Assert.Equal(("availability", 99.9, 10L, 15L, "PAGE"),
            (slo.GetProperty("name").GetString(), slo.GetProperty("objective").GetDouble(), slo.GetProperty("good").GetInt64(),
                slo.GetProperty("total").GetInt64(), slo.GetProperty("alertState").GetString()));
        Assert.True(slo.GetProperty("budgetRemaining").GetDouble() < 1);
        var pageBurn = slo.GetProperty("burnRates").EnumerateArray().Single(b => b.GetProperty("rule").GetString() == "page-1h");
        Assert.Equal(333.333, pageBurn.GetProperty("longBurnRate").GetDouble(), 3);

        var table = await CliAsync("slo", "status", "shop");
        Assert.True(table.Exit == 0, table.Error);
        Assert.Contains("PAGE", table.Out, StringComparison.Ordinal);

        // "Who changed it?": the timeline names the identity.
        var timeline = await JsonAsync("timeline", "shop", "--since", "1h");
        Assert.Contains(timeline.EnumerateArray(), e => e.GetProperty("kind").GetString() == "audit.action" && e.GetProperty("actor").GetString() == ops.Identity.Id);
        var timelineTable = await CliAsync("timeline", "shop", "--since", "1h");
        Assert.Contains("WHO", timelineTable.Out, StringComparison.Ordinal);
        Assert.Contains(timelineTable.Out.Split('\n'), line => line.Contains(ops.Identity.Id, StringComparison.Ordinal) && line.Contains("audit.action", StringComparison.Ordinal));
    }

    /// <summary>Real invocations, then their telemetry stored in the metric store as the flusher's timer would.</summary>
    private async Task InvokeAsync(int calls, bool expectError)
    {
        for (var i = 0; i < calls; i++)
        {
            var response = await _nimbus.InvokeAsync("shop", new { });
            Assert.Equal(expectError, response.FunctionError is not null);
        }

        var services = _nimbus.Server.Services;
        await services.GetRequiredService<TelemetryWriter>().FlushAsync(CancellationToken.None);
        await services.GetRequiredService<ObservabilityFlusher>().TickAsync(CancellationToken.None);
    }

    /// <summary>Moves the clock one loop interval (one timer tick, never two at once) and waits for the evaluation
    /// loop's own timer to run that pass.</summary>
    private async Task PassAsync()
    {
        _time.Advance(AlarmEvaluationLoop.Interval);
        Assert.True(await _passes.WaitAsync(TimeSpan.FromSeconds(20)), "the alarm evaluation loop did not run a pass");
    }

    private Task<(int Exit, string Out, string Error)> CliAsync(params string[] args) =>
        CliInProcess.RunAsync([.. args, "--url", _nimbus.Server.BaseAddress.ToString()], _project);

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await CliAsync([.. args, "--output", "json"]);
        Assert.True(result.Exit == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }
}
