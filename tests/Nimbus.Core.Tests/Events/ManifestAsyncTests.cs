using Nimbus.Core.Manifest;

namespace Nimbus.Core.Tests.Events;

public class ManifestAsyncTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static string Function(string asyncBlock) => $"""
        functions:
          orders:
            runtime: node
            handler: index.handler
            code: ./orders
            async:
        {asyncBlock}
        """;

    [Fact]
    public void Parse_AsyncBlock_ReadsEverySetting()
    {
        var result = ManifestParser.Parse(Function("""
                  maximumRetryAttempts: 1
                  maximumEventAgeInSeconds: 3600
                  retryDelays: [1s, 2m]
                  onSuccess: function:audit
                  onFailure: webhook:https://ops.example/hooks/nimbus
                  maximumQueueDepth: 500
            """), s_base);

        Assert.Empty(result.Errors);
        var async = Assert.Single(result.Manifest!.Functions).Config.Async!;
        Assert.Equal(1, async.MaximumRetryAttempts);
        Assert.Equal(3600, async.MaximumEventAgeInSeconds);
        Assert.Equal([1.0, 120.0], async.RetryDelaysSeconds);
        Assert.Equal("function:audit", async.OnSuccess);
        Assert.Equal("webhook:https://ops.example/hooks/nimbus", async.OnFailure);
        Assert.Equal(500, async.MaximumQueueDepth);
    }

    [Fact]
    public void Parse_NoAsyncBlock_LeavesTheLambdaDefaults()
    {
        var result = ManifestParser.Parse("""
            functions:
              orders:
                runtime: node
                handler: index.handler
                code: ./orders
            """, s_base);

        Assert.Null(Assert.Single(result.Manifest!.Functions).Config.Async);
    }

    [Fact]
    public void Parse_MisspelledAsyncKey_SuggestsTheRightOne()
    {
        var error = Assert.Single(ManifestParser.Parse(Function("      maximumRetryAttempt: 1"), s_base).Errors);

        Assert.Equal("functions.orders.async.maximumRetryAttempt", error.Field);
        Assert.Contains("maximumRetryAttempts", error.Message);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void Parse_RetryAttemptsOutOfRange_PointsAtItsLine()
    {
        var error = Assert.Single(ManifestParser.Parse(Function("      onFailure: dlq\n      maximumRetryAttempts: 5"), s_base).Errors);

        Assert.Equal("functions.orders.async.maximumRetryAttempts", error.Field);
        Assert.Contains("between 0 and 2", error.Message);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void Parse_BadDelay_NamesItsIndex()
    {
        var error = Assert.Single(ManifestParser.Parse(Function("      retryDelays: [1s, soon]"), s_base).Errors);

        Assert.Equal("functions.orders.async.retryDelays[1]", error.Field);
        Assert.Contains("'soon'", error.Message);
    }

    [Theory]
    [InlineData("1s", 1)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("3", 3)]
    public void TryParseDelay_AcceptsUnits(string text, double seconds)
    {
        Assert.True(ManifestAsyncReader.TryParseDelay(text, out var parsed));
        Assert.Equal(seconds, parsed, 6);
    }
}
