using System.Text.Json;
using Nimbus.Core.Alarms;

namespace Nimbus.Core.Tests.Alarms;

public sealed class NotificationPayloadsTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static AlarmNotification Rollback() => new AlarmNotification(
        AlarmNotification.DeploymentRolledBackEvent, "orders-error-rate", "orders", "OK", "ALARM",
        "alarm 'orders-error-rate' is in ALARM on version 3: Threshold Crossed: 3 out of the last 3 datapoints [100.0, 100.0, 100.0]",
        null, s_t0, "nimbus runbook orders-error-rate", [], [])
    {
        Deployment = new NotificationDeployment("dep-7", "live", 2, 3, "Canary10Percent5Minutes"),
    };

    [Fact]
    public void Webhook_DeploymentRollback_NamesTheDeploymentAndKeepsTheReason()
    {
        using var json = JsonDocument.Parse(NotificationPayloads.Webhook(Rollback()));

        var root = json.RootElement;
        Assert.Equal(("deployment.rolledBack", "orders-error-rate"), (root.GetProperty("event").GetString(), root.GetProperty("alarm").GetString()));
        Assert.EndsWith("[100.0, 100.0, 100.0]", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var deployment = root.GetProperty("deployment");
        Assert.Equal(("dep-7", "live", "2", "3", "Canary10Percent5Minutes"), (
            deployment.GetProperty("id").GetString(), deployment.GetProperty("alias").GetString(), deployment.GetProperty("fromVersion").GetString(),
            deployment.GetProperty("toVersion").GetString(), deployment.GetProperty("strategy").GetString()));
    }

    [Fact]
    public void Webhook_AlarmTransition_HasNoDeployment()
    {
        using var json = JsonDocument.Parse(NotificationPayloads.Webhook(Rollback() with { Event = AlarmNotification.TransitionEvent, Deployment = null }));

        Assert.False(json.RootElement.TryGetProperty("deployment", out _));
    }

    [Fact]
    public void Slack_DeploymentRollback_SaysWhatWasRolledBack()
    {
        using var json = JsonDocument.Parse(NotificationPayloads.Slack(Rollback()));

        Assert.Equal("orders-error-rate is ALARM: deployment dep-7 of orders:live rolled back from version 3 to 2",
            json.RootElement.GetProperty("text").GetString());
    }
}
