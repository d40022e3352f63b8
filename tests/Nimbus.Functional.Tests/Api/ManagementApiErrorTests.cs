using System.Net;
using System.Text;
using System.Text.Json;
using Nimbus.Functional.Tests.Infrastructure;

namespace Nimbus.Functional.Tests.Api;

/// <summary>Bad input to the management API gets a ProblemDetails that says what was wrong, and changes nothing.</summary>
public sealed class ManagementApiErrorTests : IClassFixture<SharedServer>
{
    private readonly NimbusTestServer _nimbus;

    public ManagementApiErrorTests(SharedServer shared) => _nimbus = shared.Nimbus;

    [Theory]
    [InlineData("{not json", "invalid start of a property name")]
    [InlineData("""{"runtime":"node","memoryMb":"lots"}""", "$.memoryMb")]
    public async Task PutFunction_WithUnreadableJson_Is400NamingTheProblem_AndCreatesNothing(string body, string expected)
    {
        var response = await _nimbus.Client.PutAsync("/api/v1/functions/garbled", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _nimbus.Client.GetAsync("/api/v1/functions/garbled")).StatusCode);
    }

    [Fact]
    public async Task PutFunction_WithInvalidValues_Is400ListingEveryField()
    {
        var response = await _nimbus.Client.PutAsync("/api/v1/functions/invalid",
            new StringContent("""{"runtime":"cobol","memoryMb":5,"timeoutSeconds":0,"environment":{"AWS_LAMBDA_RUNTIME_API":"x"}}""", Encoding.UTF8, "application/json"));
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["environment.AWS_LAMBDA_RUNTIME_API", "memoryMb", "runtime", "timeoutSeconds"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }
}
