using System.Text.Json.Nodes;
using Nimbus.Core.Schedules;

namespace Nimbus.Core.Tests.Schedules;

public class ScheduledEventTests
{
    private static readonly DateTimeOffset s_time = new(2026, 3, 1, 11, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Build_WithoutInput_IsEventBridgesShapeWithEmptyDetail()
    {
        var arn = ScheduledEvent.RuleArn("us-east-1", "000000000000", "report-0");

        var json = ScheduledEvent.Build("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "000000000000", "us-east-1", arn, s_time, null).ToJsonString();

        Assert.Equal(
            """{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"000000000000","time":"2026-03-01T10:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:000000000000:rule/report-0"],"detail":{}}""",
            json);
    }

    [Fact]
    public void Build_WithInput_PutsTheFixedInputInDetail()
    {
        var input = JsonNode.Parse("""{"report":"daily"}""");

        var detail = ScheduledEvent.Build("id", "a", "r", "arn", s_time, input)["detail"];

        Assert.Equal("""{"report":"daily"}""", detail!.ToJsonString());
    }
}
