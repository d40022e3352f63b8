using System.Text.Json;
using Nimbus.Core.Alarms;
using Nimbus.Core.Functions;
using Nimbus.Core.Timeline;

namespace Nimbus.Core.Tests.Alarms;

public class NotificationDeliveryRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Backoff_DoublesFromFiveSecondsAndGivesUpAfterTheLastAttempt()
    {
        Assert.Equal(
            [5, 10, 20, 40, 80, 160, 320],
            Enumerable.Range(1, NotificationRetryPolicy.MaxAttempts - 1).Select(n => NotificationRetryPolicy.DelayAfter(n)!.Value.TotalSeconds));
        Assert.Null(NotificationRetryPolicy.DelayAfter(NotificationRetryPolicy.MaxAttempts));
    }

    [Fact]
    public void Signature_IsHmacSha256OfTimestampDotBody()
    {
        var secret = "s3cret"u8.ToArray();
        // printf '1764619200.{"a":1}' | openssl dgst -sha256 -hmac s3cret
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(secret, "1764619200.{\"a\":1}"u8.ToArray()));

        Assert.Equal(expected, WebhookSignature.Compute(secret, 1764619200, "{\"a\":1}"));
        Assert.True(WebhookSignature.Verify(secret, 1764619200, "{\"a\":1}", expected));
        Assert.False(WebhookSignature.Verify(secret, 1764619201, "{\"a\":1}", expected));
        Assert.False(WebhookSignature.Verify("other"u8.ToArray(), 1764619200, "{\"a\":1}", expected));
    }

    [Fact]
    public void Timeline_NewestFirst_ChangeListedBelowTheAlarmItCausedAtTheSameInstant()
    {
        var merged = TimelineMerge.Merge(
            [
                [new TimelineEvent(T0, "f", TimelineKinds.AliasUpdated, "alias live -> 2", null, "control-plane"),
                 new TimelineEvent(T0.AddHours(-3), "f", TimelineKinds.FunctionCreated, "function f created", null, "control-plane")],
                [new TimelineEvent(T0, "f", TimelineKinds.AlarmTransition, "alarm f-errors OK -> ALARM", null, "alarms"),
                 new TimelineEvent(T0.AddMinutes(5), "f", TimelineKinds.DeploymentRolledBack, "deployment d1 RolledBack", null, "deployments")],
            ],
            since: T0.AddHours(-1),
            limit: 10);

        Assert.Equal(["deployment d1 RolledBack", "alarm f-errors OK -> ALARM", "alias live -> 2"], merged.Select(e => e.Summary));
    }

    [Fact]
    public void Runbook_NamesTheSettingsChangesAndCommands()
    {
        var function = new FunctionConfig { Name = "checkout", Runtime = "node", TimeoutSeconds = 10, ReservedConcurrency = 5 };
        var alarm = DefaultAlarms.For(function).Single(a => a.Name == "checkout-init-failures");
        var record = new AlarmRecord(alarm, AlarmState.Alarm, "Threshold Crossed: 1 datapoint", T0, IsDefault: true);

        var text = RunbookGenerator.Generate(record, function, [new NotificationChange(T0.AddMinutes(-5), TimelineKinds.VersionPublished, "version 3 published")]);

        Assert.Contains("failed to initialise", text, StringComparison.Ordinal);
        Assert.Contains("- timeout 10 s, memory 128 MB, runtime node", text, StringComparison.Ordinal);
        Assert.Contains("- reserved concurrency 5", text, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 19:55:00 UTC version 3 published", text, StringComparison.Ordinal);
        Assert.Contains("`nimbus logs checkout --since 1h --filter InitError`", text, StringComparison.Ordinal);
        Assert.Contains("`nimbus rollback checkout`", text, StringComparison.Ordinal);
        Assert.Contains("`nimbus dlq redrive checkout`", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookPayload_CarriesEveryFact()
    {
        var message = new AlarmNotification(AlarmNotification.TransitionEvent, "a", "f", "OK", "ALARM", "why", "means", T0, "https://r",
            [new NotificationError("Error", "boom", 3, T0)], [new NotificationChange(T0, "alias.updated", "alias live -> 2")]);

        using var json = JsonDocument.Parse(NotificationPayloads.Webhook(message));

        var root = json.RootElement;
        Assert.Equal(("alarm.transition", "a", "ALARM", "why", "https://r"),
            (root.GetProperty("event").GetString(), root.GetProperty("alarm").GetString(), root.GetProperty("newState").GetString(),
             root.GetProperty("reason").GetString(), root.GetProperty("runbook").GetString()));
        Assert.Equal("boom", root.GetProperty("recentErrors")[0].GetProperty("message").GetString());
        Assert.Equal("2026-12-01T20:00:00.0000000+00:00", root.GetProperty("timestamp").GetString());
    }
}
