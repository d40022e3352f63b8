using System.Text.Json;
using Nimbus.Core.Queues;

namespace Nimbus.Core.Tests.Queues;

public class SqsEventTests
{
    [Fact]
    public void Build_WritesLambdasSqsRecordShape()
    {
        var sent = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var message = new QueueMessage("id-1", "emails", "hello", new Dictionary<string, string> { ["kind"] = "welcome" }, sent, sent, 2,
            sent.AddSeconds(1), "rh-1", null);

        using var document = JsonDocument.Parse(SqsEvent.Build([message], "local", "000000000000"));
        var record = Assert.Single(document.RootElement.GetProperty("Records").EnumerateArray());
        Assert.Equal("id-1", record.GetProperty("messageId").GetString());
        Assert.Equal("rh-1", record.GetProperty("receiptHandle").GetString());
        Assert.Equal("hello", record.GetProperty("body").GetString());
        Assert.Equal("2", record.GetProperty("attributes").GetProperty("ApproximateReceiveCount").GetString());
        Assert.Equal(sent.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            record.GetProperty("attributes").GetProperty("SentTimestamp").GetString());
        var attribute = record.GetProperty("messageAttributes").GetProperty("kind");
        Assert.Equal("welcome", attribute.GetProperty("stringValue").GetString());
        Assert.Equal("String", attribute.GetProperty("dataType").GetString());
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", record.GetProperty("md5OfBody").GetString());
        Assert.Equal("aws:sqs", record.GetProperty("eventSource").GetString());
        Assert.Equal("arn:aws:sqs:local:000000000000:emails", record.GetProperty("eventSourceARN").GetString());
        Assert.Equal("local", record.GetProperty("awsRegion").GetString());
    }
}
