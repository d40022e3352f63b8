using System.Text;
using Nimbus.Core.Tracing;

namespace Nimbus.Core.Tests.Tracing;

public class OtlpJsonSpansTests
{
    [Fact]
    public void Parse_AnExportFromTheOpenTelemetrySdk_ReadsIdsTimesStatusAndAttributes()
    {
        var json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},
              "scopeSpans":[{"scope":{"name":"app"},"spans":[{
                "traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":"00f067aa0ba902b7","parentSpanId":"b7ad6b7169203331",
                "name":"charge card","kind":3,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",
                "attributes":[{"key":"http.status_code","value":{"intValue":"502"}},{"key":"retry","value":{"boolValue":true}}],
                "status":{"code":2,"message":"bad gateway"}}]}]}]}
            """;

        var spans = OtlpJsonSpans.Parse(Encoding.UTF8.GetBytes(json), "orders", out var error);

        Assert.Null(error);
        var span = Assert.Single(spans!);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", span.TraceId);
        Assert.Equal("b7ad6b7169203331", span.ParentSpanId);
        Assert.Equal("Client", span.Kind);
        Assert.Equal(250, span.DurationMs, 3);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), span.Start);
        Assert.True(span.Error);
        Assert.Equal("bad gateway", span.StatusMessage);
        Assert.Equal(502L, span.Attributes["http.status_code"]);
        Assert.Equal(true, span.Attributes["retry"]);
        Assert.Equal("orders", span.Attributes["service.name"]);
        Assert.Equal(SpanRecord.FunctionOrigin, span.Origin);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz","spanId":"00f067aa0ba902b7","startTimeUnixNano":"1"}]}]}]}""")]
    public void Parse_Invalid_SaysWhy(string json)
    {
        Assert.Null(OtlpJsonSpans.Parse(Encoding.UTF8.GetBytes(json), "f", out var error));
        Assert.NotNull(error);
    }
}
