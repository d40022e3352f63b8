using System.Text;
using Nimbus.Core.Gateway;

namespace Nimbus.Core.Tests.Gateway;

/// <summary>Lambda's InvalidRequestContentException says what is wrong with a payload and where, in plain words.</summary>
public sealed class JsonPayloadErrorTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("\"just a string\"")]
    [InlineData("  [1, 2.5e3, true, null, {\"a\": \"\u00e9\"}]\n")]
    public void Describe_WellFormedJson_IsNull(string payload) => Assert.Null(JsonPayloadError.Describe(Encoding.UTF8.GetBytes(payload)));

    [Theory]
    [InlineData("x", "Unrecognized token 'x' at line 1, column 1")]
    [InlineData("name=Ada", "Unrecognized token 'name' at line 1, column 1")]
    [InlineData("{\n  \"a\": tru}", "Unrecognized token 'tru' at line 2, column 8")]
    [InlineData("[true false]", "Unexpected token 'false' at line 1, column 7")]
    [InlineData("{}x", "Unrecognized token 'x' at line 1, column 3")]
    [InlineData("{\"a\":1,}", "Unexpected character ('}') at line 1, column 8")]
    [InlineData("{\"a\" 1}", "Unexpected character ('1') at line 1, column 6")]
    [InlineData("[1 2]", "Unexpected character ('2') at line 1, column 4")]
    [InlineData("{\"a\":", "Unexpected end of input at line 1, column 6")]
    [InlineData("[1, 2", "Unexpected end of input at line 1, column 6")]
    [InlineData("\"\u00e9\u00e9\" \u00e9", "Unexpected character ('\u00e9') at line 1, column 6")]
    [InlineData("\"a\tb\"", "Unexpected control character (U+0009) at line 1, column 3")]
    [InlineData("[\"a\\\"b\tc\"]", "Unexpected control character (U+0009) at line 1, column 7")]
    public void Describe_MalformedJson_SaysWhatAndWhereInPlainWords(string payload, string expected) =>
        Assert.Equal(expected, JsonPayloadError.Describe(Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void Describe_InvalidUtf8_NamesTheByte() =>
        Assert.Equal("Invalid UTF-8 (byte 0xFF) at line 1, column 1", JsonPayloadError.Describe([0xFF]));

    [Fact]
    public void Describe_NestingDeeperThanTheLimit_SaysSo()
    {
        var payload = new string('[', JsonPayloadError.MaxDepth + 1) + new string(']', JsonPayloadError.MaxDepth + 1);

        Assert.Equal($"Arrays and objects nest deeper than {JsonPayloadError.MaxDepth} levels at line 1, column {JsonPayloadError.MaxDepth + 1}",
            JsonPayloadError.Describe(Encoding.UTF8.GetBytes(payload)));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("{\"a\":")]
    [InlineData("{} {}")]
    public void Describe_NeverCarriesTheParsersOwnWording(string payload)
    {
        var message = JsonPayloadError.Describe(Encoding.UTF8.GetBytes(payload))!;

        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }
}
