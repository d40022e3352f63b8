using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Nimbus.Core.Alarms;

/// <summary>The bodies each channel receives for an <see cref="AlarmNotification"/>: the webhook's own JSON, and a Slack
/// incoming webhook's <c>{"text": …, "blocks": […]}</c>. Pure.</summary>
public static class NotificationPayloads
{
    public static string Webhook(AlarmNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        var body = new JsonObject
        {
            ["event"] = n.Event,
            ["alarm"] = n.Alarm,
            ["function"] = n.Function,
            ["oldState"] = n.OldState,
            ["newState"] = n.NewState,
            ["reason"] = n.Reason,
            ["description"] = n.Description,
            ["timestamp"] = n.Timestamp.ToString("O", CultureInfo.InvariantCulture),
            ["runbook"] = n.Runbook,
            ["recentErrors"] = new JsonArray([.. n.RecentErrors.Select(e => (JsonNode)new JsonObject
            {
                ["errorType"] = e.ErrorType,
                ["message"] = e.Message,
                ["count"] = e.Count,
                ["lastSeen"] = e.LastSeen.ToString("O", CultureInfo.InvariantCulture),
            })]),
            ["recentChanges"] = new JsonArray([.. n.RecentChanges.Select(c => (JsonNode)new JsonObject
            {
                ["timestamp"] = c.Timestamp.ToString("O", CultureInfo.InvariantCulture),
                ["kind"] = c.Kind,
                ["summary"] = c.Summary,
            })]),
        };
        if (n.Deployment is { } d)
        {
            body["deployment"] = new JsonObject
            {
                ["id"] = d.Id,
                ["alias"] = d.Alias,
                ["fromVersion"] = d.FromVersion.ToString(CultureInfo.InvariantCulture),
                ["toVersion"] = d.ToVersion.ToString(CultureInfo.InvariantCulture),
                ["strategy"] = d.Strategy,
            };
        }

        return body.ToJsonString();
    }

    public static string Slack(AlarmNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        var title = n.Deployment is { } d
            ? $"{n.Alarm} is {n.NewState}: deployment {d.Id} of {n.Function}:{d.Alias} rolled back from version {d.ToVersion} to {d.FromVersion}"
            : $"{(n.Event == AlarmNotification.TestEvent ? "[TEST] " : "")}{n.Alarm} is {n.NewState} (was {n.OldState})";
        var detail = new StringBuilder();
        detail.Append('*').Append(title).Append("*\n");
        if (n.Description is { } description)
        {
            detail.Append(description).Append('\n');
        }

        detail.Append(n.Reason).Append('\n');
        if (n.RecentChanges.Count > 0)
        {
            detail.Append("*Changes in the hour before:*\n");
            foreach (var change in n.RecentChanges)
            {
                detail.Append("• ").Append(change.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ').Append(change.Summary).Append('\n');
            }
        }

        if (n.RecentErrors.Count > 0)
        {
            detail.Append("*Recent errors:*\n");
            foreach (var error in n.RecentErrors)
            {
                detail.Append("• ").Append(error.ErrorType).Append(": ").Append(error.Message).Append(" (×")
                    .Append(error.Count.ToString(CultureInfo.InvariantCulture)).Append(")\n");
            }
        }

        detail.Append("Runbook: ").Append(n.Runbook);
        return new JsonObject
        {
            ["text"] = title,
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = detail.ToString() },
            }),
        }.ToJsonString();
    }
}
