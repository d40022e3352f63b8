using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Api;

/// <summary>
/// A charset Nimbus cannot decode: the management API refuses the JSON body with a 415 that says so (it answered 500);
/// the invoke endpoints take their payload as bytes, as Lambda does, and ignore the charset.
/// </summary>
public sealed class JsonCharsetTests : IClassFixture<SharedServer>
{
    private const string Nonsense = "application/json; charset=nonsense";
    private readonly NimbusTestServer _nimbus;

    public JsonCharsetTests(SharedServer shared) => _nimbus = shared.Nimbus;

    public static TheoryData<string, string, string> ManagementBodies => new()
    {
        { "PUT", "/api/v1/functions/charset-new", """{"runtime":"node","handler":"index.handler"}""" },
        { "POST", "/api/v1/functions/charset-fn/versions", "{}" },
        { "PUT", "/api/v1/functions/charset-fn/aliases/live", """{"version":"1"}""" },
    };

    [Theory]
    [MemberData(nameof(ManagementBodies))]
    public async Task ManagementApi_JsonBodyInAnUnknownCharset_Is415NamingTheCharset_AndChangesNothing(string method, string path, string body)
    {
        await _nimbus.DeployNodeAsync("charset-fn");

        var response = await SendAsync(method, path, body, Nonsense);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The request body's charset 'nonsense' (in Content-Type) is not supported: send JSON as UTF-8 (charset=utf-8, or no charset).",
            problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/functions/charset-new")).StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await _nimbus.Client.GetStringAsync("/api/v1/functions/charset-fn/versions")).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("charset-utf8-lower", "application/json; charset=utf-8")]
    [InlineData("charset-utf8-upper", "application/json; charset=UTF-8")]
    [InlineData("charset-none", "application/json")]
    public async Task ManagementApi_JsonBodyInUtf8_IsAccepted(string function, string contentType)
    {
        var response = await SendAsync("PUT", $"/api/v1/functions/{function}", """{"runtime":"node","handler":"index.handler"}""", contentType);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/functions/charset-invoke/invoke")]
    [InlineData("/2015-03-31/functions/charset-invoke/invocations")]
    public async Task InvokeEndpoints_PayloadInAnUnknownCharset_IsPassedThroughAsBytes(string path)
    {
        await _nimbus.DeployNodeAsync("charset-invoke");

        var response = await SendAsync("POST", path, """{"action":"echo","text":"caf\u00e9"}""", Nonsense);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("caf\u00e9", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        return await _nimbus.Client.SendAsync(request);
    }
}
