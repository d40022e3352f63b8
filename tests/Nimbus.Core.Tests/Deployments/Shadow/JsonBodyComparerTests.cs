using System.Text;
using Nimbus.Core.Deployments.Shadow;

namespace Nimbus.Core.Tests.Deployments.Shadow;

public sealed class JsonBodyComparerTests
{
    [Theory]
    [InlineData("{\"a\":1,\"b\":[1,2]}", "{ \"b\" : [1, 2], \"a\" : 1 }")]
    [InlineData("{\"price\":1.0}", "{\"price\":1}")]
    [InlineData("{\"n\":1e2}", "{\"n\":100}")]
    [InlineData("[true,null,\"x\"]", "[ true , null , \"x\" ]")]
    [InlineData("\"caf\\u00e9\"", "\"café\"")]
    public void AreEqual_SameMeaning_IsEqual(string left, string right)
    {
        Assert.True(JsonBodyComparer.AreEqual(Bytes(left), Bytes(right)));
    }

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":2}")]
    [InlineData("{\"a\":1}", "{\"a\":1,\"b\":1}")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("{\"a\":\"1\"}", "{\"a\":1}")]
    [InlineData("{\"a\":null}", "{}")]
    [InlineData("true", "false")]
    public void AreEqual_DifferentMeaning_IsNotEqual(string left, string right)
    {
        Assert.False(JsonBodyComparer.AreEqual(Bytes(left), Bytes(right)));
    }

    [Fact]
    public void AreEqual_NotJson_ComparesBytes()
    {
        Assert.True(JsonBodyComparer.AreEqual(Bytes("plain text"), Bytes("plain text")));
        Assert.False(JsonBodyComparer.AreEqual(Bytes("plain text"), Bytes("plain  text")));
        Assert.False(JsonBodyComparer.AreEqual(Bytes("{\"a\":1}"), Bytes("{\"a\":1")));
    }

    [Fact]
    public void AreEqual_BothEmpty_IsEqual()
    {
        Assert.True(JsonBodyComparer.AreEqual(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty));
        Assert.False(JsonBodyComparer.AreEqual(ReadOnlyMemory<byte>.Empty, Bytes("null")));
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
