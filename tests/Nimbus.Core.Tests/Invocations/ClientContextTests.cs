using System.Text;
using Nimbus.Core.Invocations;

namespace Nimbus.Core.Tests.Invocations;

public class ClientContextTests
{
    [Fact]
    public void TryDecode_Base64JsonObject_GivesOneLineAsciiJson()
    {
        var encoded = ClientContext.Encode("{\n  \"custom\": {\"who\": \"Zoë\"},\n  \"env\": {}\n}");

        var decoded = ClientContext.TryDecode(encoded, out var error);

        Assert.True(decoded is not null, error);
        Assert.Equal("{\"custom\":{\"who\":\"Zo\\u00EB\"},\"env\":{}}", decoded);
    }

    [Theory]
    [InlineData("not base64!", "not base64")]
    [InlineData("WzEsMl0=", "not an object")] // [1,2]
    [InlineData("eyJhIjo=", "valid Base64-encoded JSON object")] // {"a":
    public void TryDecode_Invalid_SaysWhy(string encoded, string expected)
    {
        Assert.Null(ClientContext.TryDecode(encoded, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryDecode_LongerThanLambdaAllows_IsRefused()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 3000) + "\"}"));

        Assert.Null(ClientContext.TryDecode(encoded, out var error));
        Assert.Contains("3583", error);
    }
}
