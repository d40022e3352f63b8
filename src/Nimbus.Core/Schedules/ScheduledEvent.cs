using System.Globalization;
using System.Text.Json.Nodes;

namespace Nimbus.Core.Schedules;

/// <summary>
/// EventBridge's Scheduled Event, the payload a Lambda handler for a schedule expects: <c>version</c> "0",
/// <c>id</c>, <c>detail-type</c> "Scheduled Event", <c>source</c> "aws.events", <c>account</c>, <c>time</c> (the
/// tick's scheduled time, whole seconds, UTC), <c>region</c>, <c>resources</c> (the rule ARN) and <c>detail</c>
/// (the schedule's fixed input, or an empty object).
/// </summary>
public static class ScheduledEvent
{
    public const string DetailType = "Scheduled Event";

    public const string Source = "aws.events";

    /// <summary>The ARN of a schedule's rule: <c>arn:aws:events:{region}:{account}:rule/{name}</c>.</summary>
    public static string RuleArn(string region, string account, string ruleName) => $"arn:aws:events:{region}:{account}:rule/{ruleName}";

    public static JsonObject Build(string id, string account, string region, string ruleArn, DateTimeOffset time, JsonNode? input) =>
        new()
        {
            ["version"] = "0",
            ["id"] = id,
            ["detail-type"] = DetailType,
            ["source"] = Source,
            ["account"] = account,
            ["time"] = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray(ruleArn),
            ["detail"] = input?.DeepClone() ?? new JsonObject(),
        };
}
