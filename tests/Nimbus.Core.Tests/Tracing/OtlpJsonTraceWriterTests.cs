using Nimbus.Core.Tracing;

namespace Nimbus.Core.Tests.Tracing;

public sealed class OtlpJsonTraceWriterTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_ThenParse_KeepsIdsParentsTimesKindStatusAndAttributes()
    {
        var platform = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "00f067aa0ba902b7", "orders", "Server",
            s_start, 12.5, "orders", "req-1", true, "boom", SpanRecord.PlatformOrigin,
            new Dictionary<string, object?> { ["faas.coldstart"] = true, ["nimbus.hops"] = 3, ["faas.max_memory"] = 134217728L, ["ratio"] = 0.25 });
        var function = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "c7ad6b7169203332", "b7ad6b7169203331", "db.query", "Client",
            s_start.AddMilliseconds(2), 3, "orders", null, false, null, SpanRecord.FunctionOrigin,
            new Dictionary<string, object?> { ["service.name"] = "orders-svc", ["db.system"] = "sqlite" });

        var json = OtlpJsonTraceWriter.Write([platform, function]);
        var back = OtlpJsonSpans.Parse(json, "orders", out var error);

        Assert.Null(error);
        Assert.Equal(2, back!.Count);
        var server = back.Single(s => s.SpanId == platform.SpanId);
        Assert.Equal(platform.ParentSpanId, server.ParentSpanId);
        Assert.Equal("Server", server.Kind);
        Assert.Equal(s_start, server.Start);
        Assert.Equal(12.5, server.DurationMs, 6);
        Assert.True(server.Error);
        Assert.Equal("boom", server.StatusMessage);
        Assert.Equal(true, server.Attributes["faas.coldstart"]);
        Assert.Equal(3L, server.Attributes["nimbus.hops"]);
        Assert.Equal(134217728L, server.Attributes["faas.max_memory"]);
        Assert.Equal(0.25, server.Attributes["ratio"]);
        Assert.Equal("nimbus", server.Attributes["service.name"]);
        var client = back.Single(s => s.SpanId == function.SpanId);
        Assert.Equal("Client", client.Kind);
        Assert.Equal(platform.SpanId, client.ParentSpanId);
        Assert.Equal("orders-svc", client.Attributes["service.name"]);
        Assert.Equal("orders", client.Attributes["faas.name"]);
        Assert.False(client.Error);
    }

    [Fact]
    public void Write_GroupsSpansIntoOneResourcePerService()
    {
        var a = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null, "a", "Server", s_start, 1, "a", null, false, null,
            SpanRecord.PlatformOrigin, new Dictionary<string, object?>());
        var b = a with { SpanId = "b7ad6b7169203332", Name = "b", FunctionName = "b" };

        var text = System.Text.Encoding.UTF8.GetString(OtlpJsonTraceWriter.Write([a, b]));

        Assert.Equal(1, CountOf(text, "\"resource\""));
        Assert.Equal(2, CountOf(text, "\"spanId\""));
    }

    [Theory]
    [InlineData(1, null, 1.0)]
    [InlineData(2, 503, 2.0)]
    [InlineData(1, 429, 1.0)]
    [InlineData(3, 503, null)]
    [InlineData(1, 400, null)]
    [InlineData(1, 500, null)]
    public void RetryPolicy_RetriesConnectionFailuresAndRetryableStatusesTwice(int attempt, int? status, double? seconds)
    {
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, OtlpRetryPolicy.NextDelay(attempt, status));
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
