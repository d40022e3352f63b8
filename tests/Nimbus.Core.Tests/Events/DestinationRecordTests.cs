using System.Text.Json;
using Nimbus.Core.Events;

namespace Nimbus.Core.Tests.Events;

public class DestinationRecordTests
{
    [Fact]
    public void Write_FailureRecord_HasLambdasShape()
    {
        var bytes = DestinationRecord.Write(new DateTimeOffset(2026, 12, 1, 12, 0, 0, 250, TimeSpan.Zero), "r-1",
            "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST", AsyncConditions.RetriesExhausted, 3,
            """{"orderId":7}"""u8, "$LATEST", "Unhandled", """{"errorMessage":"no stock","errorType":"OrderRejected"}"""u8);

        using var record = JsonDocument.Parse(bytes);
        var root = record.RootElement;
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal("2026-12-01T12:00:00.250Z", root.GetProperty("timestamp").GetString());
        var context = root.GetProperty("requestContext");
        Assert.Equal("r-1", context.GetProperty("requestId").GetString());
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST", context.GetProperty("functionArn").GetString());
        Assert.Equal("RetriesExhausted", context.GetProperty("condition").GetString());
        Assert.Equal(3, context.GetProperty("approximateInvokeCount").GetInt32());
        Assert.Equal(7, root.GetProperty("requestPayload").GetProperty("orderId").GetInt32());
        var response = root.GetProperty("responseContext");
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Equal("$LATEST", response.GetProperty("executedVersion").GetString());
        Assert.Equal("Unhandled", response.GetProperty("functionError").GetString());
        Assert.Equal("OrderRejected", root.GetProperty("responsePayload").GetProperty("errorType").GetString());
    }

    [Fact]
    public void Write_SuccessRecord_HasNoFunctionErrorAndKeepsANonJsonResponseAsText()
    {
        var bytes = DestinationRecord.Write(DateTimeOffset.UnixEpoch, "r-2", "arn", AsyncConditions.Success, 1, "{}"u8, "3", null, "plain text"u8);

        using var record = JsonDocument.Parse(bytes);
        Assert.False(record.RootElement.GetProperty("responseContext").TryGetProperty("functionError", out _));
        Assert.Equal("plain text", record.RootElement.GetProperty("responsePayload").GetString());
    }
}
