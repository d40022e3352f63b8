using System.Text;
using Nimbus.Core.Gateway;

namespace Nimbus.Core.Tests.Gateway;

public class ApiGatewayV2ResponseTests
{
    private static HttpResponseData Parse(string json) => ApiGatewayV2Response.ParseResponse(Encoding.UTF8.GetBytes(json));

    private static string Body(HttpResponseData response) => Encoding.UTF8.GetString(response.Body);

    private static void AssertBadGateway(HttpResponseData response, string reason)
    {
        Assert.Equal(502, response.StatusCode);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", Body(response));
        Assert.Contains(new KeyValuePair<string, string>("content-type", "application/json"), response.Headers);
        Assert.NotNull(response.Error);
        Assert.Contains(reason, response.Error);
    }

    [Fact]
    public void ParseResponse_FullResponseObject_MapsEveryMember()
    {
        var response = Parse("""
            {"statusCode": 201, "headers": {"Content-Type": "text/plain", "X-Count": 3, "X-Ok": true},
             "multiValueHeaders": {"Vary": ["Accept", "Origin"]},
             "cookies": ["a=1; Path=/", "b=2"], "body": "created", "isBase64Encoded": false, "extra": 1}
            """);

        Assert.Equal(201, response.StatusCode);
        Assert.Equal(
            [new("Content-Type", "text/plain"), new("X-Count", "3"), new("X-Ok", "true"), new("Vary", "Accept"), new("Vary", "Origin")],
            response.Headers);
        Assert.Equal(["a=1; Path=/", "b=2"], response.Cookies);
        Assert.Equal("created", Body(response));
        Assert.Null(response.Error);
    }

    [Fact]
    public void ParseResponse_Base64Body_IsDecoded()
    {
        var response = Parse("""{"statusCode": 200, "body": "AAEC/w==", "isBase64Encoded": true}""");

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, response.Body);
    }

    [Fact]
    public void ParseResponse_StatusCodeOnly_HasEmptyBodyAndNoHeaders()
    {
        var response = Parse("""{"statusCode": 204}""");

        Assert.Equal(204, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Empty(response.Headers);
        Assert.Empty(response.Cookies);
    }

    [Fact]
    public void ParseResponse_NullMembers_MeanAbsent()
    {
        var response = Parse("""{"statusCode": 200, "headers": null, "cookies": null, "body": null, "isBase64Encoded": null}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(response.Body);
    }

    [Theory]
    [InlineData("""{"message": "hi"}""")]
    [InlineData("\"Hello from Lambda!\"")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void ParseResponse_ValidJsonWithoutStatusCode_Is200JsonWithTheOutputAsBody(string json)
    {
        var response = Parse(json);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal([new("content-type", "application/json")], response.Headers);
        Assert.Equal(json, Body(response));
        Assert.Null(response.Error);
    }

    [Fact]
    public void ParseResponse_ValidJsonWithSurroundingWhitespace_IsAccepted()
    {
        Assert.Equal(200, Parse("  {\"statusCode\": 200}\n").StatusCode);
    }

    [Fact]
    public void ParseResponse_Utf8Bom_IsIgnored()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"statusCode": 202}""")).ToArray();

        Assert.Equal(202, ApiGatewayV2Response.ParseResponse(bytes).StatusCode);
    }

    [Theory]
    [InlineData("hello", "not valid JSON")]
    [InlineData("{\"statusCode\": 200", "not valid JSON")]
    [InlineData("{} {}", "not valid JSON")]
    [InlineData("", "empty response")]
    public void ParseResponse_NotJson_Is502(string output, string reason)
    {
        AssertBadGateway(Parse(output), reason);
    }

    [Theory]
    [InlineData("""{"statusCode": "200"}""", "statusCode must be a whole number from 100 to 599, was the string \"200\"")]
    [InlineData("""{"statusCode": 99}""", "statusCode must be a whole number from 100 to 599, was 99")]
    [InlineData("""{"statusCode": 200.5}""", "statusCode must be a whole number")]
    [InlineData("""{"statusCode": null}""", "was null")]
    [InlineData("""{"statusCode": 200, "body": {"a": 1}}""", "body must be a string (serialize objects to JSON text first), was an object")]
    [InlineData("""{"statusCode": 200, "headers": ["a"]}""", "headers must be an object")]
    [InlineData("""{"statusCode": 200, "headers": {"x": {"y": 1}}}""", "headers.x must be a string, number or boolean, was an object")]
    [InlineData("""{"statusCode": 200, "multiValueHeaders": {"x": "y"}}""", "multiValueHeaders.x must be a list")]
    [InlineData("""{"statusCode": 200, "cookies": "a=1"}""", "cookies must be a list of strings")]
    [InlineData("""{"statusCode": 200, "cookies": [1]}""", "cookies must be a list of strings, had 1")]
    [InlineData("""{"statusCode": 200, "isBase64Encoded": "yes"}""", "isBase64Encoded must be true or false")]
    [InlineData("""{"statusCode": 200, "body": "not base64!", "isBase64Encoded": true}""", "body is not valid base64")]
    public void ParseResponse_MalformedResponseObject_Is502WithTheReason(string json, string reason)
    {
        AssertBadGateway(Parse(json), reason);
    }
}
