using Nimbus.Core.Manifest;
using Nimbus.Core.Tracing;

namespace Nimbus.Core.Tests.Tracing;

public class ManifestRecursiveLoopTests
{
    private static readonly string s_base = Path.Combine(Path.GetTempPath(), "project");

    private static ManifestParseResult Parse(string value) => ManifestParser.Parse($"""
        functions:
          orders:
            runtime: node
            handler: index.handler
            code: ./orders
            recursiveLoop: {value}
        """, s_base);

    [Theory]
    [InlineData("Allow", RecursiveLoop.Allow)]
    [InlineData("Terminate", RecursiveLoop.Terminate)]
    public void Parse_RecursiveLoop_IsRead(string text, RecursiveLoop expected)
    {
        var result = Parse(text);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, Assert.Single(result.Manifest!.Functions).Config.RecursiveLoop);
    }

    [Fact]
    public void Parse_UnknownRecursiveLoop_IsAnErrorOnItsLine()
    {
        var error = Assert.Single(Parse("Forever").Errors);

        Assert.Equal("functions.orders.recursiveLoop", error.Field);
        Assert.Contains("Terminate or Allow", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }
}
