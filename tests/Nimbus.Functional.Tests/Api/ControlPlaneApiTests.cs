using System.Net;
using System.Text;
using System.Text.Json;
using Nimbus.Core.Api;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Api;

/// <summary>
/// The management API refuses what could never run, says where (ProblemDetails with field paths), and decides route
/// conflicts atomically; a wrong method is a 405 with <c>Allow</c>.
/// </summary>
public sealed class ControlPlaneApiTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public ControlPlaneApiTests(SharedServer shared) => _nimbus = shared.Nimbus;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonElement Problem, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        var response = await _nimbus.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static string[] ErrorFields(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task PutFunction_ThirtyConcurrentPairsDeclaringOneRoute_ExactlyOneOfEachPairWins_TheOtherGets409NamingRouteAndOwner()
    {
        var pairs = Enumerable.Range(0, 30).Select(i => new[] { Put($"pair{i}a", i), Put($"pair{i}b", i) }).ToArray();
        await Task.WhenAll(pairs.SelectMany(p => p));

        for (var i = 0; i < pairs.Length; i++)
        {
            var (a, b) = (await pairs[i][0], await pairs[i][1]);
            var statuses = new[] { a.Status, b.Status }.Order().ToArray();
            Assert.True(statuses is [HttpStatusCode.Created, HttpStatusCode.Conflict], $"pair {i}: {a.Status} and {b.Status}");
            var (winner, loser) = a.Status == HttpStatusCode.Created ? ($"pair{i}a", b) : ($"pair{i}b", a);
            Assert.Equal($"GET /pairs/{i}", loser.Problem.GetProperty("route").GetString());
            Assert.Equal(winner, loser.Problem.GetProperty("owner").GetString());
            Assert.Contains($"already served by function '{winner}'", loser.Problem.GetProperty("errors").GetProperty("routes[0]")[0].GetString());
        }

        Task<(HttpStatusCode Status, JsonElement Problem, HttpResponseMessage Response)> Put(string name, int route) =>
            Task.Run(() => SendAsync(HttpMethod.Put, $"/api/v1/functions/{name}",
                $$"""{"runtime":"provided","routes":[{"method":"GET","path":"/pairs/{{route}}"}]}"""));
    }

    [Theory]
    [InlineData("""{"runtime":"provided","routes":[null]}""", new[] { "routes[0]" })]
    [InlineData("""{"runtime":"provided","routes":[{"method":"GET","path":"/ok"},{"method":null,"path":null}]}""", new[] { "routes[1].method", "routes[1].path" })]
    [InlineData("""{"runtime":"provided","environment":{"TABLE":null,"OTHER":"x"}}""", new[] { "environment.TABLE" })]
    [InlineData("""{"runtime":null,"handler":null}""", new[] { "runtime" })]
    [InlineData("null", new[] { "$" })]
    public async Task PutFunction_WithNulls_Is400NamingEachField_AndCreatesNothing(string body, string[] fields)
    {
        var name = "nulls" + Guid.NewGuid().ToString("N")[..8];

        var (status, problem, response) = await SendAsync(HttpMethod.Put, $"/api/v1/functions/{name}", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(fields, ErrorFields(problem));
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync($"/api/v1/functions/{name}")).StatusCode);
    }

    public static TheoryData<string, string> EnvironmentsThatCouldNeverStart => new()
    {
        { JsonSerializer.Serialize(new { runtime = "provided", environment = new Dictionary<string, string> { ["BIG"] = new string('x', 200 * 1024) } }), "environment" },
        { JsonSerializer.Serialize(new { runtime = "provided", environment = Enumerable.Range(0, 20_000).ToDictionary(i => $"V{i}", _ => "1") }), "environment" },
        { JsonSerializer.Serialize(new { runtime = "provided", environment = new Dictionary<string, string> { ["NUL"] = "a\0b" } }), "environment.NUL" },
        { JsonSerializer.Serialize(new { runtime = "provided", environment = new Dictionary<string, string> { ["AWS_SESSION_TOKEN"] = "x" } }), "environment.AWS_SESSION_TOKEN" },
    };

    [Theory]
    [MemberData(nameof(EnvironmentsThatCouldNeverStart))]
    public async Task PutFunction_EnvironmentThatCouldNeverStart_Is400NamingTheField_AndCreatesNothing(string body, string field)
    {
        var name = "env" + Guid.NewGuid().ToString("N")[..8];

        var (status, problem, _) = await SendAsync(HttpMethod.Put, $"/api/v1/functions/{name}", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([field], ErrorFields(problem));
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync($"/api/v1/functions/{name}")).StatusCode);
    }

    [Fact]
    public async Task PutFunction_TenThousandSegmentRoute_Is400_AndTheServerKeepsServing()
    {
        var deep = "/" + string.Join('/', Enumerable.Repeat("a", 10_000));

        var (status, problem, _) = await SendAsync(HttpMethod.Put, "/api/v1/functions/deeproute",
            JsonSerializer.Serialize(new { runtime = "provided", routes = new[] { new { method = "GET", path = deep } } }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["routes[0].path"], ErrorFields(problem));
        Assert.Equal(HttpStatusCode.OK, (await _nimbus.Client.GetAsync("/api/v1/health")).StatusCode);
    }

    [Theory]
    [InlineData("PATCH", "/api/v1/functions/x", "GET, PUT, DELETE")]
    [InlineData("POST", "/api/v1/functions", "GET")]
    [InlineData("DELETE", "/api/v1/functions/x/logs", "GET")]
    [InlineData("GET", "/api/v1/functions/x/invoke", "POST")]
    [InlineData("PATCH", "/api/v1/functions/x/aliases/live", "GET, PUT, DELETE")]
    [InlineData("DELETE", "/api/v1/functions/x/versions", "GET, POST")]
    public async Task KnownPath_WithWrongMethod_Is405WithAllow(string method, string path, string allow)
    {
        var (status, problem, response) = await SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{method} is not allowed", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("logs")]
    [InlineData("invocations")]
    public async Task LogsOrInvocations_OfUnknownFunction_Is404FunctionNotFound(string what)
    {
        var (status, problem, _) = await SendAsync(HttpMethod.Get, $"/api/v1/functions/nosuchfunction/{what}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Function not found", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("since", "10000000d")]
    [InlineData("until", "10000000d")]
    [InlineData("since", "99999999999999999999999d")]
    public async Task Logs_WithTimeOutOfRange_Is400SayingSo(string parameter, string value)
    {
        await SendAsync(HttpMethod.Put, "/api/v1/functions/logrange", """{"runtime":"provided"}""");

        var (status, problem, _) = await SendAsync(HttpMethod.Get, $"/api/v1/functions/logrange/logs?{parameter}={value}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"Invalid '{parameter}'", problem.GetProperty("title").GetString());
        Assert.Contains("out of range", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PutAlias_OfOneHundredCharacters_IsAccepted_AsTheManifestAllows()
    {
        await _nimbus.DeployNodeAsync("longalias");
        var version = await _nimbus.PublishAsync("longalias");
        var alias = new string('a', 100);

        var (status, _, _) = await SendAsync(HttpMethod.Put, $"/api/v1/functions/longalias/aliases/{alias}",
            JsonSerializer.Serialize(new AliasRequest(version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await _nimbus.Client.GetAsync($"/api/v1/functions/longalias/aliases/{alias}")).StatusCode);
    }

    [Fact]
    public async Task PutAlias_NullBodyOrNullVersion_Is400WithFieldPaths()
    {
        await SendAsync(HttpMethod.Put, "/api/v1/functions/aliasnulls", """{"runtime":"provided"}""");

        var (nullBody, bodyProblem, _) = await SendAsync(HttpMethod.Put, "/api/v1/functions/aliasnulls/aliases/live", "null");
        var (nullVersion, versionProblem, _) = await SendAsync(HttpMethod.Put, "/api/v1/functions/aliasnulls/aliases/live",
            """{"version":null,"additionalVersionWeights":null}""");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (nullBody, nullVersion));
        Assert.Equal(["$"], ErrorFields(bodyProblem));
        Assert.Equal(["version"], ErrorFields(versionProblem));
    }
}
