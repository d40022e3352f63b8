using System.Text;
using System.Text.Json;
using Nimbus.Core.Gateway;
using Nimbus.Core.Routing;

namespace Nimbus.Core.Tests.Gateway;

public class ApiGatewayV2EventTests
{
    private static readonly DateTimeOffset s_time = new(2020, 3, 12, 19, 3, 58, 390, TimeSpan.Zero);

    private static readonly RouteMatch s_match = new("orders", null, "GET /orders/{id}", new Dictionary<string, string> { ["id"] = "42" });

    private static HttpRequestData Request(
        string method = "GET",
        string path = "/orders/42",
        string query = "",
        (string, string)[]? headers = null,
        byte[]? body = null) =>
        new(method, path, query,
            (headers ?? [("Host", "localhost:7700"), ("User-Agent", "curl/8.0")]).Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList(),
            body ?? [], "10.0.0.1", s_time, "HTTP/1.1", "localhost:7700");

    private static JsonElement Build(HttpRequestData request, RouteMatch? match = null) =>
        JsonDocument.Parse(ApiGatewayV2Event.BuildEvent(request, match ?? s_match, "req-1")).RootElement;

    [Fact]
    public void BuildEvent_SimpleGet_HasTheFormat20Members()
    {
        var e = Build(Request());

        Assert.Equal("2.0", e.GetProperty("version").GetString());
        Assert.Equal("GET /orders/{id}", e.GetProperty("routeKey").GetString());
        Assert.Equal("/orders/42", e.GetProperty("rawPath").GetString());
        Assert.Equal("", e.GetProperty("rawQueryString").GetString());
        Assert.Equal("localhost:7700", e.GetProperty("headers").GetProperty("host").GetString());
        Assert.Equal("42", e.GetProperty("pathParameters").GetProperty("id").GetString());
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void BuildEvent_RequestContext_DescribesTheRequest()
    {
        var context = Build(Request()).GetProperty("requestContext");

        Assert.Equal("000000000000", context.GetProperty("accountId").GetString());
        Assert.Equal("nimbus", context.GetProperty("apiId").GetString());
        Assert.Equal("localhost:7700", context.GetProperty("domainName").GetString());
        Assert.Equal("localhost", context.GetProperty("domainPrefix").GetString());
        Assert.Equal("req-1", context.GetProperty("requestId").GetString());
        Assert.Equal("GET /orders/{id}", context.GetProperty("routeKey").GetString());
        Assert.Equal("$default", context.GetProperty("stage").GetString());
        Assert.Equal("12/Mar/2020:19:03:58 +0000", context.GetProperty("time").GetString());
        Assert.Equal(1584039838390, context.GetProperty("timeEpoch").GetInt64());
        var http = context.GetProperty("http");
        Assert.Equal("GET", http.GetProperty("method").GetString());
        Assert.Equal("/orders/42", http.GetProperty("path").GetString());
        Assert.Equal("HTTP/1.1", http.GetProperty("protocol").GetString());
        Assert.Equal("10.0.0.1", http.GetProperty("sourceIp").GetString());
        Assert.Equal("curl/8.0", http.GetProperty("userAgent").GetString());
    }

    [Fact]
    public void FormatTime_NonUtcOffset_IsWrittenInUtc()
    {
        var time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

        Assert.Equal("02/Jan/2024:01:04:05 +0000", ApiGatewayV2Event.FormatTime(time));
    }

    [Fact]
    public void BuildEvent_NoBodyNoQueryNoCookiesNoParameters_LeavesThoseMembersOut()
    {
        var e = Build(Request(path: "/health"), new RouteMatch("h", null, "GET /health", new Dictionary<string, string>()));

        Assert.False(e.TryGetProperty("body", out _));
        Assert.False(e.TryGetProperty("cookies", out _));
        Assert.False(e.TryGetProperty("queryStringParameters", out _));
        Assert.False(e.TryGetProperty("pathParameters", out _));
        Assert.False(e.TryGetProperty("stageVariables", out _));
        Assert.True(e.TryGetProperty("isBase64Encoded", out _));
    }

    [Fact]
    public void BuildEvent_Headers_AreLowerCasedAndRepeatsJoinedWithComma()
    {
        var e = Build(Request(headers: [("Host", "h"), ("X-Trace", "a"), ("Accept", "text/html"), ("x-trace", "b")]));

        var headers = e.GetProperty("headers");
        Assert.Equal("a,b", headers.GetProperty("x-trace").GetString());
        Assert.Equal("text/html", headers.GetProperty("accept").GetString());
        Assert.False(headers.TryGetProperty("X-Trace", out _));
        Assert.Equal("", e.GetProperty("requestContext").GetProperty("http").GetProperty("userAgent").GetString());
    }

    [Fact]
    public void BuildEvent_CookieHeaders_BecomeTheCookiesArrayAndLeaveTheHeaders()
    {
        var e = Build(Request(headers: [("Host", "h"), ("Cookie", "a=1; b=2"), ("cookie", "c=3")]));

        Assert.Equal(["a=1", "b=2", "c=3"], e.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.False(e.GetProperty("headers").TryGetProperty("cookie", out _));
    }

    [Fact]
    public void BuildEvent_QueryString_IsRawAndParsedWithRepeatsJoined()
    {
        var e = Build(Request(query: "name=jo%20smith&tag=a&tag=b&flag&q=1+2"));

        Assert.Equal("name=jo%20smith&tag=a&tag=b&flag&q=1+2", e.GetProperty("rawQueryString").GetString());
        var parameters = e.GetProperty("queryStringParameters");
        Assert.Equal("jo smith", parameters.GetProperty("name").GetString());
        Assert.Equal("a,b", parameters.GetProperty("tag").GetString());
        Assert.Equal("", parameters.GetProperty("flag").GetString());
        Assert.Equal("1+2", parameters.GetProperty("q").GetString());
    }

    [Fact]
    public void BuildEvent_QueryStringWithLeadingQuestionMark_IsTrimmed()
    {
        var e = Build(Request(query: "?a=1"));

        Assert.Equal("a=1", e.GetProperty("rawQueryString").GetString());
        Assert.Equal("1", e.GetProperty("queryStringParameters").GetProperty("a").GetString());
    }

    [Fact]
    public void BuildEvent_JsonBody_IsSentAsText()
    {
        var body = "{\"item\":\"café <b>+1</b>\"}";
        var e = Build(Request(method: "POST", headers: [("Content-Type", "application/json; charset=utf-8")], body: Encoding.UTF8.GetBytes(body)));

        Assert.Equal(body, e.GetProperty("body").GetString());
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void BuildEvent_TextWithoutContentType_IsSentAsText()
    {
        var e = Build(Request(method: "POST", headers: [], body: "hello"u8.ToArray()));

        Assert.Equal("hello", e.GetProperty("body").GetString());
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("image/png")]
    [InlineData("application/x-www-form-urlencoded")]
    public void BuildEvent_NonTextContentType_IsSentAsBase64(string contentType)
    {
        byte[] body = [1, 2, 3, 0xFF];
        var e = Build(Request(method: "POST", headers: [("Content-Type", contentType)], body: body));

        Assert.True(e.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, Convert.FromBase64String(e.GetProperty("body").GetString()!));
    }

    [Fact]
    public void BuildEvent_InvalidUtf8UnderTextContentType_IsSentAsBase64()
    {
        byte[] body = [0x68, 0xC3, 0x28];
        var e = Build(Request(method: "POST", headers: [("Content-Type", "text/plain")], body: body));

        Assert.True(e.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, Convert.FromBase64String(e.GetProperty("body").GetString()!));
    }

    [Fact]
    public void BuildEvent_ReadableJson_DoesNotEscapePlusOrNonAscii()
    {
        var bytes = ApiGatewayV2Event.BuildEvent(Request(query: "q=é+1"), s_match, "req-1");

        Assert.Contains("\"rawQueryString\":\"q=é+1\"", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void BuildEvent_MethodInLowerCase_IsReportedUpperCase()
    {
        var e = Build(Request(method: "post"));

        Assert.Equal("POST", e.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
    }
}
